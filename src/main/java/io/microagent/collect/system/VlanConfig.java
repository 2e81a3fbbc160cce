package io.microagent.collect.system;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code /proc/net/vlan/config}: after two header lines, {@code DEVICE | VLAN-ID | PARENT} per VLAN interface.
 * Lines that do not have that shape are skipped.
 */
public final class VlanConfig {
    /** One VLAN interface: its name, its id, the interface it rides on. */
    public record Vlan(String device, int id, String parent) {
    }

    private VlanConfig() {
    }

    public static Map<String, Vlan> parse(String text) {
        Map<String, Vlan> vlans = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            String[] fields = line.split("\\|");
            if (fields.length != 3) {
                continue;
            }
            try {
                Vlan v = new Vlan(fields[0].strip(), Integer.parseInt(fields[1].strip()), fields[2].strip());
                if (!v.device().isEmpty() && !v.parent().isEmpty() && v.id() >= 0 && v.id() < 4096) {
                    vlans.put(v.device(), v);
                }
            } catch (NumberFormatException e) {
                // the header ("VLAN Dev name | VLAN ID") and anything garbled
            }
        }
        return vlans;
    }

    /** The VLAN ids that belong to {@code nic}: its own if it is a VLAN, and those of the VLANs on it. */
    public static List<Integer> idsOf(String nic, Map<String, Vlan> vlans) {
        List<Integer> ids = new ArrayList<>();
        for (Vlan v : vlans.values()) {
            if (v.device().equals(nic) || v.parent().equals(nic)) {
                ids.add(v.id());
            }
        }
        return ids;
    }
}
