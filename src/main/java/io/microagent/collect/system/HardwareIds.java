package io.microagent.collect.system;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.Reader;
import java.util.Locale;

/**
 * The PCI and USB ids databases ({@code pci.ids}, {@code usb.ids}): a vendor line is four hex digits at the
 * start of the line, two spaces, and the name; devices and classes follow indented and are not read.
 */
public final class HardwareIds {
    private HardwareIds() {
    }

    /** The vendor's name for {@code vendorId} (hex, any case, with or without 0x), or null. */
    public static String vendor(Reader ids, String vendorId) throws IOException {
        String wanted = normalise(vendorId);
        if (wanted == null) {
            return null;
        }
        BufferedReader lines = new BufferedReader(ids);
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            if (line.length() > 6 && line.startsWith(wanted) && line.startsWith("  ", 4)) {
                return line.substring(6).strip();
            }
            if (line.startsWith("C ")) {
                return null; // the device classes come after every vendor
            }
        }
        return null;
    }

    /** Four lower-case hex digits, or null when {@code id} is not a 16-bit hex number. */
    public static String normalise(String id) {
        String s = id.strip().toLowerCase(Locale.ROOT);
        if (s.startsWith("0x")) {
            s = s.substring(2);
        }
        if (s.isEmpty() || s.length() > 4 || !s.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
            return null;
        }
        return "0".repeat(4 - s.length()) + s;
    }
}
