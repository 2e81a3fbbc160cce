package io.microagent.event;

/** {@code Security} for collected data, {@code Operational} for the agent's own state. */
public enum EventType {
    SECURITY("Security"), OPERATIONAL("Operational");

    private final String text;

    EventType(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
