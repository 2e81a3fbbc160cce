package io.microagent.log;

import java.io.PrintStream;
import java.util.Locale;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The agent's own logger: one line per record on standard error, prefixed {@code [iot-micro-agent]}.
 * It implements {@link System.Logger} without going through {@code System.getLogger}, whose finder may be
 * the application's logging framework: the agent never binds or configures the host's logging.
 */
public final class AgentLog implements System.Logger {
    public static final String PREFIX = "[iot-micro-agent] ";

    private final PrintStream err;
    private final LogLevel threshold;

    public AgentLog(LogLevel threshold, PrintStream err) {
        this.threshold = threshold;
        this.err = err;
    }

    /** A logger on the host's standard error. */
    public static AgentLog toStderr(LogLevel threshold) {
        return new AgentLog(threshold, System.err);
    }

    public void error(String message) {
        log(Level.ERROR, message);
    }

    public void warning(String message) {
        log(Level.WARNING, message);
    }

    public void info(String message) {
        log(Level.INFO, message);
    }

    public void debug(Supplier<String> message) {
        if (isLoggable(Level.DEBUG)) {
            log(Level.DEBUG, message.get());
        }
    }

    @Override
    public String getName() {
        return "iot-micro-agent";
    }

    @Override
    public boolean isLoggable(Level level) {
        return LogLevel.of(level).ordinal() <= threshold.ordinal() && level != Level.OFF
                && threshold != LogLevel.OFF;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        if (isLoggable(level)) {
            write(level, thrown == null ? message : message + ": " + thrown);
        }
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        if (isLoggable(level)) {
            write(level, params == null || params.length == 0 ? format
                    : java.text.MessageFormat.format(format, params));
        }
    }

    private void write(Level level, String message) {
        String line = PREFIX + level.getName().toLowerCase(Locale.ROOT) + ": " + message.replace('\n', ' ');
        synchronized (err) {
            err.println(line);
        }
    }
}
