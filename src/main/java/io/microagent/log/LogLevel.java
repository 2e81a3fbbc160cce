package io.microagent.log;

/** Values of {@code Agent_LogLevel}, most quiet first. */
public enum LogLevel {
    OFF("Off"), ERROR("Error"), WARNING("Warning"), INFO("Info"), DEBUG("Debug");

    private final String text;

    LogLevel(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }

    static LogLevel of(System.Logger.Level level) {
        return switch (level) {
            case OFF -> OFF;
            case ERROR -> ERROR;
            case WARNING -> WARNING;
            case INFO -> INFO;
            case ALL, DEBUG, TRACE -> DEBUG;
        };
    }
}
