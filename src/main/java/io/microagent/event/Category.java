package io.microagent.event;

/** How an event came to be: aggregated over a window, triggered by one occurrence, or taken periodically. */
public enum Category {
    AGGREGATED("Aggregated"), TRIGGERED("Triggered"), PERIODIC("Periodic");

    private final String text;

    Category(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
