package io.microagent.collect.sbom;

import java.util.List;

/** What one package database (or jar) said: its packages, and how many records were skipped as malformed. */
public record Inventory(List<SoftwarePackage> packages, long skipped) {
    public Inventory {
        packages = List.copyOf(packages);
    }
}
