package io.microagent.schedule;

/** The micro agent's priority groups; {@code *_MessageFrequency} puts a collector in one of them. */
public enum Priority {
    HIGH("High"), MEDIUM("Medium"), LOW("Low");

    private final String text;

    Priority(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
