package io.microagent.collect.sbom;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class PackageDatabasesTest {
    static String fixture(String name) throws IOException {
        try (InputStream in = PackageDatabasesTest.class.getResourceAsStream("/sbom/" + name)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void dpkgListsInstalledPackagesKeepsArchitecturesApartAndSkipsATruncatedLastStanza() throws IOException {
        Inventory inventory = StatusFile.parse(fixture("dpkg-status"), "deb");
        assertEquals(List.of(
                new SoftwarePackage("adduser", "3.134", "Debian Adduser Developers <adduser@packages.debian.org>", "deb"),
                new SoftwarePackage("libc6", "2.36-9+deb12u10", "GNU Libc Maintainers <debian-glibc@lists.debian.org>",
                        "deb"),
                new SoftwarePackage("libc6", "2.36-9+deb12u10", "GNU Libc Maintainers <debian-glibc@lists.debian.org>",
                        "deb"),
                new SoftwarePackage("openssh-server", "1:9.2p1-2+deb12u7",
                        "Debian OpenSSH Maintainers <debian-ssh@lists.debian.org>", "deb"),
                new SoftwarePackage("zlib1g", "1:1.2.13.dfsg-1", "Mark Brown <broonie@debian.org>", "deb")),
                inventory.packages(), "config-files and half-installed are not installed; the cut-off one is skipped");
        assertEquals(1, inventory.skipped());
    }

    @Test
    void dpkgCountsStanzasItCannotRead() {
        String text = "Package: ok\nStatus: install ok installed\nVersion: 1\n\n"
                + " continuation without a field\nPackage: orphan\nStatus: install ok installed\nVersion: 2\n\n"
                + "Package: noversion\nStatus: install ok installed\n\n"
                + "not a field\nPackage: garbled\nStatus: install ok installed\nVersion: 3\n\n\n\n";
        Inventory inventory = StatusFile.parse(text, "deb");
        assertEquals(List.of(new SoftwarePackage("ok", "1", null, "deb")), inventory.packages());
        assertEquals(3, inventory.skipped());
        assertEquals(0, StatusFile.parse("", "deb").packages().size());
    }

    @Test
    void opkgUsesTheSameStanzasWithoutMaintainersMostly() throws IOException {
        Inventory inventory = StatusFile.parse(fixture("opkg-status"), "opkg");
        assertEquals(List.of(new SoftwarePackage("busybox", "1.36.1-1", null, "opkg"),
                new SoftwarePackage("dropbear", "2022.83-1", null, "opkg"),
                new SoftwarePackage("mosquitto-ssl", "2.0.18-1", "Karl Palsson <karlp@etactica.com>", "opkg")),
                inventory.packages());
        assertEquals(0, inventory.skipped());
    }

    @Test
    void apkReadsNameVersionAndMaintainer() throws IOException {
        Inventory inventory = ApkDatabase.parse(fixture("apk-installed"));
        assertEquals(List.of(new SoftwarePackage("musl", "1.2.5-r0", "Natanael Copa <ncopa@alpinelinux.org>", "apk"),
                new SoftwarePackage("busybox", "1.36.1-r28", "Sören Tempel <soeren+alpine@soeren-tempel.net>", "apk"),
                new SoftwarePackage("openssl", "3.3.2-r1", "Ariadne Conill <ariadne@dereferenced.org>", "apk")),
                inventory.packages());
        assertEquals(1, inventory.skipped());
        Inventory cut = ApkDatabase.parse("P:a\nV:1\n\nP:b\nV:2");
        assertEquals(List.of(new SoftwarePackage("a", "1", null, "apk")), cut.packages());
        assertEquals(1, cut.skipped());
    }
}
