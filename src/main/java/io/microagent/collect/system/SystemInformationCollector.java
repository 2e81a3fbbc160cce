package io.microagent.collect.system;

import io.microagent.collect.Collector;
import io.microagent.config.Configuration;
import io.microagent.config.Settings;
import io.microagent.event.SecurityEvent;
import io.microagent.linux.AddressText;
import io.microagent.linux.HostPaths;
import io.microagent.linux.Uname;
import io.microagent.log.AgentLog;
import java.io.IOException;
import java.io.Reader;
import java.net.Inet4Address;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;

/**
 * SystemInformation: what the device is (hardware, firmware, OS, host name, network interfaces), read from
 * files under {@code Agent_HostRoot} and from rtnetlink, never by running a program. The
 * {@code SystemInformation_Hardware*}/{@code _Firmware*} keys override what the device states.
 */
public final class SystemInformationCollector implements Collector {
    /** Where interface addresses come from; rtnetlink on a device, a fixture in tests. */
    @FunctionalInterface
    public interface AddressSource {
        List<InterfaceAddresses.Address> read() throws IOException;
    }

    private static final List<String> DMI = List.of("sys_vendor", "product_name", "product_serial", "bios_vendor",
            "bios_version");
    private static final List<String> DEVICE_TREE = List.of("model", "compatible", "serial-number");
    private static final List<String> PCI_IDS = List.of("/usr/share/misc/pci.ids", "/usr/share/hwdata/pci.ids",
            "/usr/share/pci.ids");
    private static final List<String> USB_IDS = List.of("/usr/share/misc/usb.ids", "/var/lib/usbutils/usb.ids",
            "/usr/share/hwdata/usb.ids");

    private final Configuration config;
    private final HostPaths host;
    private final AddressSource addresses;
    private final AgentLog log;
    private final Map<String, String> vendorNames = new HashMap<>();
    private final AtomicLong unreadable = new AtomicLong();
    private volatile String addressMode = "";

    public SystemInformationCollector(Configuration config, HostPaths host, AddressSource addresses, AgentLog log) {
        this.config = config;
        this.host = host;
        this.addresses = addresses;
        this.log = log;
    }

    @Override
    public String name() {
        return "SystemInformation";
    }

    @Override
    public String mode() {
        return addressMode;
    }

    /** Files that exist but could not be read (DMI serial numbers are root's only), and unparsable values. */
    @Override
    public String counters() {
        return "unreadable=" + unreadable;
    }

    @Override
    public List<SecurityEvent> collect(Instant windowEnd) {
        return List.of(SecurityEvent.periodic(name(), windowEnd, List.of(snapshot())));
    }

    SystemInformation snapshot() {
        Hardware hw = hardware();
        Map<String, String> os = OsRelease.parse(firstReadable("/etc/os-release", "/usr/lib/os-release"));
        Uname uname = Uname.read();
        String hostName = read("/proc/sys/kernel/hostname");
        hostName = hostName != null && !hostName.isBlank() ? hostName.strip() : uname == null ? null : uname.nodename();
        String version = os.getOrDefault("VERSION", os.get("VERSION_ID"));
        return new SystemInformation(
                override(config.get(Settings.HARDWARE_VENDOR), hw.vendor()),
                override(config.get(Settings.HARDWARE_MODEL), hw.model()),
                override(config.get(Settings.HARDWARE_SERIAL), hw.serialNumber()),
                override(config.get(Settings.FIRMWARE_VENDOR), hw.firmwareVendor()),
                override(config.get(Settings.FIRMWARE_VERSION), hw.firmwareVersion()),
                os.get("NAME"), version, uname == null ? null : uname.sysname(),
                uname == null ? null : uname.machine(), hostName, nics());
    }

    private Hardware hardware() {
        Map<String, String> dmi = files("/sys/class/dmi/id/", DMI);
        Hardware fromDmi = Hardware.fromDmi(dmi);
        if (!fromDmi.isEmpty()) {
            return fromDmi;
        }
        return Hardware.fromDeviceTree(files("/proc/device-tree/", DEVICE_TREE));
    }

    private List<SystemInformation.Nic> nics() {
        Map<Integer, List<String>> byIndex = addressesByIndex();
        Map<String, VlanConfig.Vlan> vlans = VlanConfig.parse(orEmpty(read("/proc/net/vlan/config")));
        List<SystemInformation.Nic> nics = new ArrayList<>();
        Path classNet = host.resolve("/sys/class/net");
        List<String> names;
        try (Stream<Path> list = Files.list(classNet)) {
            names = list.map(p -> p.getFileName().toString()).sorted().toList();
        } catch (IOException e) {
            unreadable.incrementAndGet();
            return nics;
        }
        for (String name : names) {
            String dir = "/sys/class/net/" + name + "/";
            int arphrd = integer(read(dir + "type"));
            if (arphrd == NicType.ARPHRD_LOOPBACK || name.equals("lo")) {
                continue;
            }
            Map<String, String> uevent = uevent(read(dir + "uevent"));
            boolean wireless = Files.isDirectory(host.resolve(dir + "wireless"))
                    || Files.exists(host.resolve(dir + "phy80211"));
            String mac = Hardware.clean(read(dir + "address"));
            List<SystemInformation.NicInfo> info = new ArrayList<>();
            for (String address : byIndex.getOrDefault(integer(read(dir + "ifindex")), List.of())) {
                boolean v4 = address.indexOf(':') < 0;
                info.add(new SystemInformation.NicInfo(v4 ? address : null, v4 ? null : address, mac));
            }
            if (info.isEmpty()) {
                info.add(new SystemInformation.NicInfo(null, null, mac));
            }
            nics.add(new SystemInformation.Nic(name, NicType.of(arphrd, uevent.get("DEVTYPE"), wireless),
                    VlanConfig.idsOf(name, vlans), vendor(uevent(read(dir + "device/uevent"))), info));
        }
        return nics;
    }

    /** rtnetlink; where that is refused, the IPv6 addresses of /proc/net/if_inet6 (IPv4 then goes unreported). */
    private Map<Integer, List<String>> addressesByIndex() {
        Map<Integer, List<String>> byIndex = new LinkedHashMap<>();
        try {
            for (InterfaceAddresses.Address a : addresses.read()) {
                byIndex.computeIfAbsent(a.interfaceIndex(), i -> new ArrayList<>()).add(AddressText.of(a.address()));
            }
            addressMode = "rtnetlink";
        } catch (IOException | RuntimeException e) {
            if (!addressMode.equals("if_inet6")) {
                log.info("SystemInformation: rtnetlink refused the address dump (" + e.getMessage()
                        + "); IPv6 addresses come from /proc/net/if_inet6 and IPv4 addresses are not reported");
            }
            addressMode = "if_inet6";
            for (String[] f : IfInet6.parse(orEmpty(read("/proc/net/if_inet6")))) {
                byIndex.computeIfAbsent(Integer.parseInt(f[1], 16), i -> new ArrayList<>()).add(f[0]);
            }
        }
        byIndex.values().forEach(list -> list.sort((a, b) -> Boolean.compare(a.contains(":"), b.contains(":"))));
        return byIndex;
    }

    /** The vendor's name from the ids database, else {@code pci:8086} / {@code usb:0bda}; null when unknown. */
    private String vendor(Map<String, String> deviceUevent) {
        String pci = deviceUevent.get("PCI_ID");
        String usb = deviceUevent.get("PRODUCT");
        String bus;
        String id;
        if (pci != null && pci.indexOf(':') > 0) {
            bus = "pci";
            id = HardwareIds.normalise(pci.substring(0, pci.indexOf(':')));
        } else if (usb != null && usb.indexOf('/') > 0) {
            bus = "usb";
            id = HardwareIds.normalise(usb.substring(0, usb.indexOf('/')));
        } else {
            return null;
        }
        if (id == null) {
            unreadable.incrementAndGet();
            return null;
        }
        return vendorNames.computeIfAbsent(bus + ":" + id, key -> {
            for (String db : bus.equals("pci") ? PCI_IDS : USB_IDS) {
                try (Reader r = Files.newBufferedReader(host.resolve(db), StandardCharsets.ISO_8859_1)) {
                    String name = HardwareIds.vendor(r, id);
                    if (name != null) {
                        return name;
                    }
                } catch (IOException e) {
                    // not installed there
                }
            }
            return key;
        });
    }

    private static Map<String, String> uevent(String text) {
        Map<String, String> values = new HashMap<>();
        for (String line : orEmpty(text).split("\n")) {
            int eq = line.indexOf('=');
            if (eq > 0) {
                values.put(line.substring(0, eq), line.substring(eq + 1).strip());
            }
        }
        return values;
    }

    private Map<String, String> files(String directory, List<String> names) {
        Map<String, String> values = new HashMap<>();
        for (String n : names) {
            String v = read(directory + n);
            if (v != null) {
                values.put(n, v);
            }
        }
        return values;
    }

    private String firstReadable(String... paths) {
        for (String p : paths) {
            String text = read(p);
            if (text != null) {
                return text;
            }
        }
        return "";
    }

    /** A small host file's text; null when it is not there or cannot be read (counted). */
    private String read(String absolute) {
        Path path = host.resolve(absolute);
        try {
            if (Files.size(path) > 1 << 20 && !Files.isDirectory(path)) {
                unreadable.incrementAndGet();
                return null;
            }
            return new String(Files.readAllBytes(path), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return null;
        } catch (IOException | RuntimeException e) {
            if (Files.exists(path)) {
                unreadable.incrementAndGet();
            }
            return null;
        }
    }

    private static int integer(String text) {
        try {
            return text == null ? -1 : Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String orEmpty(String s) {
        return s == null ? "" : s;
    }

    private static String override(String configured, String stated) {
        return configured != null && !configured.isBlank() ? configured : stated;
    }
}
