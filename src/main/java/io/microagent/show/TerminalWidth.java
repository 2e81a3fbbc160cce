package io.microagent.show;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** The width to cut lines to: {@code COLUMNS}, else the terminal standard output is, else no limit (a pipe). */
public final class TerminalWidth {
    private TerminalWidth() {
    }

    public static int of(Map<String, String> environment) {
        String columns = environment.get("COLUMNS");
        if (columns != null && columns.matches("\\d{1,5}") && Integer.parseInt(columns) > 0) {
            return Integer.parseInt(columns);
        }
        try {
            Path out = Files.readSymbolicLink(Path.of("/proc/self/fd/1"));
            if (!out.toString().startsWith("/dev/pts/") && !out.toString().startsWith("/dev/tty")) {
                return MessageView.NO_LIMIT;
            }
            Process stty = new ProcessBuilder("stty", "size").redirectInput(new File(out.toString()))
                    .redirectError(ProcessBuilder.Redirect.DISCARD).start();
            String[] size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim()
                    .split(" ");
            if (stty.waitFor(2, TimeUnit.SECONDS) && size.length == 2 && size[1].matches("\\d{1,5}")
                    && Integer.parseInt(size[1]) > 0) {
                return Integer.parseInt(size[1]);
            }
            return 80;
        } catch (IOException | RuntimeException e) {
            return MessageView.NO_LIMIT;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return 80;
        }
    }
}
