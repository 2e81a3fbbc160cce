package io.microagent.core;

/** What {@code java -jar iot-micro-agent.jar status PID} reads, registered as {@code io.microagent:type=Agent}. */
public interface AgentStatusMBean {
    String getVersion();

    String getAgentId();

    /** How the agent was started: "-javaagent" or "attach". */
    String getStartedBy();

    /** One line per collector: its name, mode and counters. */
    String[] getCollectors();

    /** One line per output: its name and message counts. */
    String[] getOutputs();

    /** Events each collector collected and dropped since start. */
    String[] getDroppedEvents();

    /** Failures inside the agent, by place (each contained and logged once). */
    String[] getFailures();
}
