package io.microagent.collect.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.microagent.config.Configuration;
import io.microagent.linux.AddressText;
import io.microagent.linux.HostPaths;
import io.microagent.linux.Uname;
import io.microagent.testing.CapturedLog;
import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemInformationTest {
    @TempDir
    Path root;
    final CapturedLog log = new CapturedLog();

    void write(String path, String text) throws IOException {
        Path p = root.resolve(path.substring(1));
        Files.createDirectories(p.getParent());
        Files.writeString(p, text, StandardCharsets.UTF_8);
    }

    SystemInformationCollector collector(String arguments, List<InterfaceAddresses.Address> addresses) {
        return new SystemInformationCollector(Configuration.load(arguments, Map.of(), Map.of()), new HostPaths(root),
                () -> addresses, log.log());
    }

    static InterfaceAddresses.Address address(int index, String text) throws IOException {
        return new InterfaceAddresses.Address(index, InetAddress.getByName(text));
    }

    @Test
    void osReleaseQuotingAsTheSpecificationSays() {
        Map<String, String> os = OsRelease.parse("PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME='Debian GNU/Linux'\n"
                + "VERSION_ID=\"12\"\n# comment\nVERSION=\"12 (bookworm) \\\"quoted\\\"\"\nID=debian\nbroken=\"open\n"
                + "not an assignment\nHOME_URL=\"https://www.debian.org/\"\n");
        assertEquals("Debian GNU/Linux", os.get("NAME"));
        assertEquals("12 (bookworm) \"quoted\"", os.get("VERSION"));
        assertEquals("debian", os.get("ID"));
        assertNull(os.get("broken"));
        assertEquals(6, os.size());
    }

    @Test
    void vlansIdsDatabasesAndKinds() throws IOException {
        Map<String, VlanConfig.Vlan> vlans = VlanConfig.parse("VLAN Dev name    | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n"
                + "eth0.100       | 100  | eth0\nvlan7          | 7  | eth0\ngarbage | x | eth0\n");
        assertEquals(List.of(100, 7), VlanConfig.idsOf("eth0", vlans));
        assertEquals(List.of(100), VlanConfig.idsOf("eth0.100", vlans));
        assertEquals(List.of(), VlanConfig.idsOf("wlan0", vlans));

        String ids = "# comment\n8086  Intel Corporation\n\t100e  82540EM Gigabit Ethernet Controller\n"
                + "10ec  Realtek Semiconductor Co., Ltd.\nC 02  Network controller\n";
        assertEquals("Intel Corporation", HardwareIds.vendor(new StringReader(ids), "0x8086"));
        assertEquals("Realtek Semiconductor Co., Ltd.", HardwareIds.vendor(new StringReader(ids), "10EC"));
        assertNull(HardwareIds.vendor(new StringReader(ids), "100e"), "device lines are not vendors");
        assertNull(HardwareIds.normalise("xyz"));

        assertEquals("ETH", NicType.of(1, null, false));
        assertEquals("WIFI", NicType.of(1, "wlan", false));
        assertEquals("WIFI", NicType.of(1, null, true));
        assertEquals("MOBILE", NicType.of(519, null, false));
        assertEquals("MOBILE", NicType.of(1, "wwan", false));
        assertEquals("UNKNOWN", NicType.of(65534, null, false));
    }

    @Test
    void addressesAreWrittenAsIpAndSsWriteThem() throws IOException {
        assertEquals("fe80::fc:ff:fe00:1", AddressText.of(InetAddress.getByName("fe80:0:0:0:fc:ff:fe00:1")));
        assertEquals("::1", AddressText.of(InetAddress.getByName("::1")));
        assertEquals("2001:db8::1:0:0:1", AddressText.of(InetAddress.getByName("2001:db8:0:0:1:0:0:1")));
        assertEquals("2001:db8:0:1:1:1:1:1", AddressText.of(InetAddress.getByName("2001:db8:0:1:1:1:1:1")));
        assertEquals("::", AddressText.of(new byte[16]));
        byte[] mapped = new byte[16];
        mapped[10] = (byte) 0xff;
        mapped[11] = (byte) 0xff;
        mapped[12] = 127;
        mapped[15] = 1;
        assertEquals("::ffff:127.0.0.1", AddressText.of(mapped));
        assertEquals("192.0.2.1", AddressText.of(new byte[] {(byte) 192, 0, 2, 1}));
    }

    @Test
    void rtnetlinkAddressMessages() {
        // struct ifaddrmsg {family, prefixlen, flags, scope, index} + IFA_ADDRESS (peer) + IFA_LOCAL
        ByteBuffer b = ByteBuffer.allocate(8 + 8 + 8 + 4).order(ByteOrder.nativeOrder());
        b.put((byte) 2).put((byte) 32).put((byte) 0).put((byte) 0).putInt(5);
        b.putShort((short) 8).putShort((short) 1).put(new byte[] {10, 0, 0, 2});
        b.putShort((short) 8).putShort((short) 2).put(new byte[] {10, 0, 0, 1});
        b.putShort((short) 4).putShort((short) 8);
        InterfaceAddresses.Address a = InterfaceAddresses.parse(b.flip());
        assertEquals(5, a.interfaceIndex());
        assertEquals("10.0.0.1", AddressText.of(a.address()), "IFA_LOCAL, not the point-to-point peer");
        ByteBuffer cut = ByteBuffer.allocate(14).order(ByteOrder.nativeOrder());
        cut.put((byte) 2).put(new byte[3]).putInt(5).putShort((short) 8).putShort((short) 1);
        assertNull(InterfaceAddresses.parse(cut.flip()));
        assertNull(InterfaceAddresses.parse(ByteBuffer.allocate(3)));
    }

    @Test
    void rtnetlinkOnTheRealKernelAgreesWithTheJdk() throws Exception {
        List<InterfaceAddresses.Address> kernel = InterfaceAddresses.read();
        java.util.Set<String> fromKernel = new java.util.TreeSet<>();
        kernel.forEach(a -> fromKernel.add(a.interfaceIndex() + " " + AddressText.of(a.address())));
        java.util.Set<String> fromJdk = new java.util.TreeSet<>();
        for (java.net.NetworkInterface n : java.util.Collections.list(java.net.NetworkInterface.getNetworkInterfaces())) {
            for (InetAddress a : java.util.Collections.list(n.getInetAddresses())) {
                fromJdk.add(n.getIndex() + " " + AddressText.of(InetAddress.getByAddress(a.getAddress())));
            }
        }
        assertEquals(fromJdk, fromKernel);
        assertTrue(fromKernel.stream().anyMatch(s -> s.endsWith(" 127.0.0.1")), fromKernel.toString());
    }

    @Test
    void aPcWithDmiEthernetOnPciAndTheIdsDatabase() throws IOException {
        write("/sys/class/dmi/id/sys_vendor", "QEMU\n");
        write("/sys/class/dmi/id/product_name", "Standard PC (Q35 + ICH9, 2009)\n");
        write("/sys/class/dmi/id/product_serial", "\n");
        write("/sys/class/dmi/id/bios_vendor", "SeaBIOS\n");
        write("/sys/class/dmi/id/bios_version", "1.16.2-debian-1.16.2-1\n");
        write("/etc/os-release", "NAME=\"Debian GNU/Linux\"\nVERSION=\"12 (bookworm)\"\nVERSION_ID=\"12\"\n");
        write("/usr/lib/os-release", "NAME=\"Not this one\"\n");
        write("/proc/sys/kernel/hostname", "gateway-7\n");
        write("/sys/class/net/lo/type", "772\n");
        write("/sys/class/net/lo/ifindex", "1\n");
        write("/sys/class/net/enp1s0/type", "1\n");
        write("/sys/class/net/enp1s0/ifindex", "2\n");
        write("/sys/class/net/enp1s0/address", "52:54:00:12:34:56\n");
        write("/sys/class/net/enp1s0/uevent", "INTERFACE=enp1s0\nIFINDEX=2\n");
        write("/sys/class/net/enp1s0/device/uevent", "DRIVER=e1000e\nPCI_CLASS=20000\nPCI_ID=8086:10D3\n");
        write("/usr/share/misc/pci.ids", "8086  Intel Corporation\n\t10d3  82574L Gigabit Network Connection\n");
        SystemInformation info = collector("", List.of(address(1, "127.0.0.1"), address(2, "fd00::2"),
                address(2, "192.0.2.2"))).snapshot();
        Uname uname = Uname.read();
        assertEquals(new SystemInformation("QEMU", "Standard PC (Q35 + ICH9, 2009)", null, "SeaBIOS",
                "1.16.2-debian-1.16.2-1", "Debian GNU/Linux", "12 (bookworm)", uname.sysname(), uname.machine(),
                "gateway-7", List.of(new SystemInformation.Nic("enp1s0", "ETH", List.of(), "Intel Corporation",
                        List.of(new SystemInformation.NicInfo("192.0.2.2", null, "52:54:00:12:34:56"),
                                new SystemInformation.NicInfo(null, "fd00::2", "52:54:00:12:34:56"))))),
                info);
    }

    @Test
    void anArmBoardWithoutDmiWithWifiOnUsbAVlanAndOverrides() throws IOException {
        write("/proc/device-tree/model", "Raspberry Pi 4 Model B Rev 1.5\0");
        write("/proc/device-tree/compatible", "raspberrypi,4-model-b\0brcm,bcm2711\0");
        write("/proc/device-tree/serial-number", "10000000abcdef01\0");
        write("/usr/lib/os-release", "NAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\n");
        write("/sys/class/net/eth0/type", "1\n");
        write("/sys/class/net/eth0/ifindex", "2\n");
        write("/sys/class/net/eth0/address", "dc:a6:32:00:00:01\n");
        write("/sys/class/net/eth0.100/type", "1\n");
        write("/sys/class/net/eth0.100/ifindex", "4\n");
        write("/sys/class/net/eth0.100/uevent", "DEVTYPE=vlan\nINTERFACE=eth0.100\n");
        write("/sys/class/net/eth0.100/address", "dc:a6:32:00:00:01\n");
        write("/sys/class/net/wlan0/type", "1\n");
        write("/sys/class/net/wlan0/ifindex", "3\n");
        write("/sys/class/net/wlan0/uevent", "DEVTYPE=wlan\nINTERFACE=wlan0\n");
        write("/sys/class/net/wlan0/wireless/.present", "");
        write("/sys/class/net/wlan0/address", "dc:a6:32:00:00:02\n");
        write("/sys/class/net/wlan0/device/uevent", "DEVTYPE=usb_interface\nPRODUCT=bda/8179/0\n");
        write("/sys/class/net/wwan0/type", "519\n");
        write("/sys/class/net/wwan0/ifindex", "5\n");
        write("/sys/class/net/wwan0/uevent", "DEVTYPE=wwan\n");
        write("/proc/net/vlan/config", "VLAN Dev name    | VLAN ID\nName-Type: VLAN_NAME_TYPE_RAW_PLUS_VID_NO_PAD\n"
                + "eth0.100       | 100  | eth0\n");
        SystemInformation info = collector("SystemInformation_FirmwareVersion=2024-11-25,"
                + "SystemInformation_HardwareVendor=Acme Gateways", List.of(address(3, "192.168.7.20"))).snapshot();
        assertEquals("Acme Gateways", info.hardwareVendor(), "the key overrides the device tree's raspberrypi");
        assertEquals("Raspberry Pi 4 Model B Rev 1.5", info.hardwareModel());
        assertEquals("10000000abcdef01", info.hardwareSerialNumber());
        assertNull(info.firmwareVendor());
        assertEquals("2024-11-25", info.firmwareVersion());
        assertEquals("12", info.osVersion(), "VERSION_ID where VERSION is absent; /usr/lib/os-release as fallback");
        assertEquals(List.of(
                new SystemInformation.Nic("eth0", "ETH", List.of(100), null,
                        List.of(new SystemInformation.NicInfo(null, null, "dc:a6:32:00:00:01"))),
                new SystemInformation.Nic("eth0.100", "ETH", List.of(100), null,
                        List.of(new SystemInformation.NicInfo(null, null, "dc:a6:32:00:00:01"))),
                new SystemInformation.Nic("wlan0", "WIFI", List.of(), "usb:0bda",
                        List.of(new SystemInformation.NicInfo("192.168.7.20", null, "dc:a6:32:00:00:02"))),
                new SystemInformation.Nic("wwan0", "MOBILE", List.of(), null,
                        List.of(new SystemInformation.NicInfo(null, null, null)))), info.nics());
        assertEquals("raspberrypi", collector("", List.of()).snapshot().hardwareVendor());
    }

    @Test
    void whereRtnetlinkIsRefusedIpv6ComesFromIfInet6() throws IOException {
        write("/sys/class/net/eth0/type", "1\n");
        write("/sys/class/net/eth0/ifindex", "4\n");
        write("/proc/net/if_inet6", "fd000000000000000000000000000002 04 40 00 80     eth0\n"
                + "00000000000000000000000000000001 01 80 10 80       lo\ngarbled\n");
        SystemInformationCollector c = new SystemInformationCollector(Configuration.load("", Map.of(), Map.of()),
                new HostPaths(root), () -> {
                    throw new IOException("errno 13");
                }, log.log());
        assertEquals(List.of(new SystemInformation.NicInfo(null, "fd00::2", null)), c.snapshot().nics().get(0).info());
        assertEquals("if_inet6", c.mode());
        assertTrue(log.lines().stream().anyMatch(l -> l.contains("IPv4 addresses are not reported")), log.lines()
                .toString());
    }
}
