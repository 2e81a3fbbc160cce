package io.microagent.collect.sbom;

import java.util.ArrayList;
import java.util.List;

/**
 * dpkg's and opkg's status database ({@code /var/lib/dpkg/status}, {@code /usr/lib/opkg/status}): RFC-822
 * stanzas separated by blank lines, continuation lines starting with a space or tab. Only packages whose
 * {@code Status} says {@code installed} count (removed-but-not-purged ones stay in the file as
 * {@code config-files}); a package installed for two architectures is two stanzas and two packages. A stanza
 * without Package or Version, a line that is neither a field nor a continuation, and a last stanza cut off
 * without its final newline are skipped and counted. Only the four fields it reports are copied out of the text.
 */
public final class StatusFile {
    private static final String[] FIELDS = {"Package:", "Version:", "Status:", "Maintainer:"};
    private static final int PACKAGE = 0;
    private static final int VERSION = 1;
    private static final int STATUS = 2;
    private static final int MAINTAINER = 3;

    private StatusFile() {
    }

    /** @param type the SBoM {@code Type} of what it lists: {@code deb} or {@code opkg} */
    public static Inventory parse(String text, String type) {
        List<SoftwarePackage> packages = new ArrayList<>();
        long skipped = 0;
        String[] stanza = new String[FIELDS.length];
        boolean any = false;
        boolean broken = false;
        boolean inField = false;
        int end = text.length();
        boolean truncated = end > 0 && text.charAt(end - 1) != '\n';
        int start = 0;
        while (start < end) {
            int newline = text.indexOf('\n', start);
            int lineEnd = newline < 0 ? end : newline;
            int lineStart = start;
            start = lineEnd + 1;
            if (newline < 0 && truncated) {
                broken = true; // the file ends in the middle of this line: the stanza cannot be trusted
            }
            char first = lineStart < lineEnd ? text.charAt(lineStart) : '\n';
            if (first == ' ' || first == '\t') {
                broken |= !inField; // continuations (descriptions, conffiles) carry nothing the inventory reports
                continue;
            }
            if (blank(text, lineStart, lineEnd)) {
                skipped += finish(stanza, any, broken, type, packages);
                java.util.Arrays.fill(stanza, null);
                any = broken = inField = false;
                continue;
            }
            any = true;
            int colon = text.indexOf(':', lineStart);
            if (colon <= lineStart || colon >= lineEnd) {
                broken = true;
                inField = false;
                continue;
            }
            inField = true;
            for (int f = 0; f < FIELDS.length; f++) {
                if (stanza[f] == null && colon - lineStart + 1 == FIELDS[f].length()
                        && text.startsWith(FIELDS[f], lineStart)) {
                    stanza[f] = text.substring(colon + 1, lineEnd).strip();
                }
            }
        }
        skipped += finish(stanza, any, broken || truncated, type, packages);
        return new Inventory(packages, skipped);
    }

    private static int finish(String[] stanza, boolean any, boolean broken, String type, List<SoftwarePackage> out) {
        if (!any) {
            return broken ? 1 : 0;
        }
        String name = stanza[PACKAGE];
        String version = stanza[VERSION];
        String status = stanza[STATUS];
        if (broken || name == null || name.isEmpty() || status == null) {
            return 1;
        }
        // "want flag state": only the state "installed" is a package on the device
        if (!status.endsWith(" installed") || status.chars().filter(c -> c == ' ').count() != 2) {
            return 0;
        }
        if (version == null || version.isEmpty()) {
            return 1;
        }
        out.add(new SoftwarePackage(name, version, stanza[MAINTAINER], type));
        return 0;
    }

    private static boolean blank(String text, int from, int to) {
        for (int i = from; i < to; i++) {
            if (!Character.isWhitespace(text.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
