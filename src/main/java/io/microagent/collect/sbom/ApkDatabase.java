package io.microagent.collect.sbom;

import java.util.ArrayList;
import java.util.List;

/**
 * Alpine's installed database ({@code /lib/apk/db/installed}): one stanza per installed package, lines
 * {@code X:value} ({@code P} name, {@code V} version, {@code m} maintainer). A stanza without name or
 * version, or cut off at the end of the file, is skipped and counted.
 */
public final class ApkDatabase {
    private ApkDatabase() {
    }

    public static Inventory parse(String text) {
        List<SoftwarePackage> packages = new ArrayList<>();
        long skipped = 0;
        String name = null;
        String version = null;
        String maintainer = null;
        boolean broken = false;
        boolean any = false;
        String[] lines = text.split("\n", -1);
        boolean truncated = !text.isEmpty() && !text.endsWith("\n");
        for (int i = 0; i <= lines.length; i++) {
            String line = i < lines.length ? lines[i] : "";
            boolean lastLine = i == lines.length - 1;
            if (line.isEmpty() || i == lines.length) {
                if (any) {
                    if (broken || name == null || version == null || name.isEmpty() || version.isEmpty()) {
                        skipped++;
                    } else {
                        packages.add(new SoftwarePackage(name, version, maintainer, "apk"));
                    }
                }
                name = version = maintainer = null;
                broken = any = false;
                continue;
            }
            any = true;
            if (lastLine && truncated) {
                broken = true;
            }
            if (line.length() < 2 || line.charAt(1) != ':') {
                broken = true;
                continue;
            }
            String value = line.substring(2);
            switch (line.charAt(0)) {
                case 'P' -> name = value;
                case 'V' -> version = value;
                case 'm' -> maintainer = value;
                default -> {
                }
            }
        }
        return new Inventory(packages, skipped);
    }
}
