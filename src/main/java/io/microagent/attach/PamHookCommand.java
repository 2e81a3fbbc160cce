package io.microagent.attach;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * {@code pam-hook}: prints the PAM hook that {@code Login_UsePAM=true} reads the output of, and the PAM lines that
 * enable it; {@code pam-hook install [FILE]} writes the hook (mode 0755). It never edits PAM's own files: a wrong
 * line there can lock every user out, so that step stays the administrator's.
 */
final class PamHookCommand {
    static final String DEFAULT_PATH = "/usr/local/lib/iot-micro-agent/pam-hook";
    private static final String RESOURCE = "/io/microagent/collect/login/pam-hook.sh";

    private PamHookCommand() {
    }

    static int run(String[] args, PrintStream out) throws IOException, Jvms.Refusal {
        String hook = hook();
        if (args.length == 1) {
            out.print(hook);
            out.println();
            out.print(lines(DEFAULT_PATH));
            return 0;
        }
        if (!args[1].equals("install") || args.length > 3) {
            throw new Jvms.Refusal("usage: pam-hook [install [FILE]]");
        }
        Path target = Path.of(args.length == 3 ? args[2] : DEFAULT_PATH).toAbsolutePath();
        Files.createDirectories(target.getParent());
        Files.writeString(target, hook);
        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
        out.println("wrote " + target);
        out.print(lines(target.toString()));
        return 0;
    }

    static String lines(String path) {
        return String.join("\n",
                "# To enable it (as root), add to /etc/pam.d/common-session (every service) or a service's own file:",
                "session optional pam_exec.so quiet " + path,
                "# and, for failed sign-ins, in /etc/pam.d/common-auth on the failure path: raise the pam_unix line's",
                "# success=1 to success=2 and put this line right after it (before pam_deny):",
                "auth [default=ignore] pam_exec.so quiet " + path + " failed",
                "# Then start the agent with Login_UsePAM=true; the hook appends to /var/log/iot-micro-agent-pam.log.",
                "");
    }

    private static String hook() throws IOException {
        try (InputStream in = PamHookCommand.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException("the hook is missing from this jar");
            }
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
