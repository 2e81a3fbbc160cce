package io.microagent.collect.system;

import java.util.Map;

/**
 * The device's hardware and firmware as the kernel states them: DMI strings on PCs and servers, the device
 * tree on boards without DMI. Pure: fed the files' contents (null for a file that is not there).
 */
public record Hardware(String vendor, String model, String serialNumber, String firmwareVendor,
        String firmwareVersion) {

    /** From {@code /sys/class/dmi/id/}: {@code sys_vendor}, {@code product_name}, {@code product_serial}, ... */
    public static Hardware fromDmi(Map<String, String> files) {
        return new Hardware(clean(files.get("sys_vendor")), clean(files.get("product_name")),
                clean(files.get("product_serial")), clean(files.get("bios_vendor")), clean(files.get("bios_version")));
    }

    /**
     * From {@code /proc/device-tree/}: {@code model}, {@code serial-number}, and the vendor prefix of the first
     * {@code compatible} string (the device tree's own vendor naming, e.g. {@code raspberrypi}).
     */
    public static Hardware fromDeviceTree(Map<String, String> files) {
        String compatible = files.get("compatible");
        String vendor = null;
        if (compatible != null) {
            String first = compatible.split("\0", 2)[0];
            int comma = first.indexOf(',');
            vendor = comma > 0 ? clean(first.substring(0, comma)) : null;
        }
        return new Hardware(vendor, clean(files.get("model")), clean(files.get("serial-number")), null, null);
    }

    public boolean isEmpty() {
        return vendor == null && model == null && serialNumber == null && firmwareVendor == null
                && firmwareVersion == null;
    }

    /** Device-tree strings end in NUL; DMI strings in a newline; empty means unknown. */
    static String clean(String value) {
        if (value == null) {
            return null;
        }
        int nul = value.indexOf('\0');
        String s = (nul >= 0 ? value.substring(0, nul) : value).strip();
        return s.isEmpty() ? null : s;
    }
}
