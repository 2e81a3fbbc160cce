package io.microagent.collect.process;

/** Values of {@code Process_Mode}, numbered as the micro agent numbered them (4 is this agent's). */
public enum ProcessMode {
    AUTO(1, "Auto"), NETLINK(2, "Netlink"), POLLING(3, "Polling"), AUDIT(4, "Audit");

    private final int number;
    private final String text;

    ProcessMode(int number, String text) {
        this.number = number;
        this.text = text;
    }

    public int number() {
        return number;
    }

    public String text() {
        return text;
    }
}
