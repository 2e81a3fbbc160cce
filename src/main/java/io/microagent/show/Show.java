package io.microagent.show;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.microagent.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code show [FILE|-] [options]}: security messages (as {@code Output_File} writes them) printed for a person.
 * Malformed lines are reported on stderr with their number and skipped; the count comes last.
 */
public final class Show {
    public static final String USAGE = String.join("\n",
            "  show [FILE|-] [--follow] [--event NAME[,NAME]] [--since TIME] [--until TIME] [--full] [--wide]"
                    + " [--messages] [--json]",
            "                       security messages (Output_File's JSON lines, or standard input) for a person:",
            "                       one line per payload; --full lists SBoM packages and all of SystemInformation;",
            "                       --wide does not cut lines to the terminal; --messages adds a line per message;",
            "                       --json passes the messages through unchanged; TIME is " + ShowFilter.TIME_FORMS);

    /** What the command line asked for. */
    record Options(Path file, boolean follow, ShowFilter filter, boolean full, boolean wide, boolean messages,
            boolean json) {
    }

    private Show() {
    }

    /** Parses {@code show}'s arguments (after the word show); throws IllegalArgumentException with the reason. */
    static Options options(String[] args, Clock clock) {
        Path file = null;
        boolean follow = false;
        boolean full = false;
        boolean wide = false;
        boolean messages = false;
        boolean json = false;
        ShowFilter filter = ShowFilter.ALL;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--follow", "-f" -> follow = true;
                case "--full" -> full = true;
                case "--wide", "-w" -> wide = true;
                case "--messages" -> messages = true;
                case "--json" -> json = true;
                case "--event", "--since", "--until" -> {
                    if (i + 1 == args.length) {
                        throw new IllegalArgumentException(a + " needs a value");
                    }
                    String value = args[++i];
                    filter = switch (a) {
                        case "--event" -> filter.withEvents(value);
                        case "--since" -> filter.withSince(ShowFilter.time(value, clock));
                        default -> filter.withUntil(ShowFilter.time(value, clock));
                    };
                }
                default -> {
                    if (a.startsWith("-") && !a.equals("-")) {
                        throw new IllegalArgumentException("unknown option " + a);
                    }
                    if (file != null) {
                        throw new IllegalArgumentException("one file at a time (" + file + " and " + a + ")");
                    }
                    file = Path.of(a);
                }
            }
        }
        if (file != null && file.toString().equals("-")) {
            file = null;
        }
        if (follow && file == null) {
            throw new IllegalArgumentException("--follow needs a file (standard input is followed anyway)");
        }
        return new Options(file, follow, filter, full, wide, messages, json);
    }

    /** One message as the sample's hub prints it: "hub <- " and a summary line, then every payload's line, indented. */
    public static List<String> lines(String message, int width) {
        MessageView view = MessageView.everything(width);
        MessageView indented = MessageView.everything(width == MessageView.NO_LIMIT ? width : Math.max(20, width - 2));
        try {
            Object parsed = Json.read(message.getBytes(StandardCharsets.UTF_8));
            String problem = MessageView.problem(parsed);
            if (problem != null) {
                return List.of("not a security message: " + problem);
            }
            List<String> lines = new ArrayList<>();
            lines.add(view.summary("hub <- ", parsed, message.getBytes(StandardCharsets.UTF_8).length));
            indented.lines(parsed).forEach(l -> lines.add("  " + l));
            return lines;
        } catch (IOException e) {
            return List.of("not a security message: not JSON (" + reason(e) + ")");
        }
    }

    /** The parser's complaint without its location boilerplate. */
    private static String reason(IOException e) {
        String text = e instanceof JsonProcessingException j ? j.getOriginalMessage() : String.valueOf(e.getMessage());
        return text.lines().findFirst().orElse("").replaceAll("\\s*\\(?(start marker )?at \\[Source.*", "");
    }

    /** Runs {@code show}; returns the exit code: 0, or 1 when a line was malformed. */
    public static int run(String[] args, InputStream stdin, PrintStream out, PrintStream err, int terminalWidth,
            Clock clock) throws IOException {
        Options o;
        try {
            o = options(args, clock);
        } catch (IllegalArgumentException e) {
            err.println("iot-micro-agent show: " + e.getMessage() + "\nusage:\n" + USAGE);
            return 2;
        }
        MessageView view = new MessageView(o.filter(), clock.getZone(), o.wide() ? MessageView.NO_LIMIT
                : terminalWidth, o.full());
        long malformed = 0;
        try (MessageLines lines = o.file() == null ? MessageLines.of(stdin) : MessageLines.of(o.file(), o.follow())) {
            for (MessageLines.Line line = lines.next(); line != null; line = lines.next()) {
                if (line.text() != null && line.text().isBlank()) {
                    continue;
                }
                String where = (o.file() == null ? "stdin" : o.file().toString()) + ":" + line.number();
                Object message;
                String problem;
                if (line.text() == null) {
                    message = null;
                    problem = "longer than " + MessageLines.MAX_LINE + " bytes (a message is at most 256 KB)";
                } else {
                    try {
                        message = Json.read(line.text().getBytes(StandardCharsets.UTF_8));
                        problem = MessageView.problem(message);
                    } catch (IOException e) {
                        message = null;
                        problem = "not JSON (" + reason(e) + ")";
                    }
                }
                if (problem != null) {
                    malformed++;
                    err.println(where + ": skipped, " + problem);
                    continue;
                }
                if (o.json()) {
                    if (view.shows(message)) {
                        out.println(line.text());
                    }
                    continue;
                }
                if (o.messages()) {
                    out.println(view.summary("", message, line.text().getBytes(StandardCharsets.UTF_8).length));
                }
                view.lines(message).forEach(out::println);
                out.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (malformed > 0) {
            err.println(malformed + " malformed line(s) skipped");
            return 1;
        }
        return 0;
    }
}
