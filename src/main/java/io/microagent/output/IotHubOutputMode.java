package io.microagent.output;

/** Values of {@code Output_IotHub}. */
public enum IotHubOutputMode {
    AUTO("Auto"), OFF("Off");

    private final String text;

    IotHubOutputMode(String text) {
        this.text = text;
    }

    public String text() {
        return text;
    }
}
