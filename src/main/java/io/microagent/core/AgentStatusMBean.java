package io.microagent.core;

/** What {@code java -jar iot-micro-agent.jar status PID} reads, registered as {@code io.microagent:type=Agent}. */
public interface AgentStatusMBean {
    String getVersion();

    String getAgentId();

    /** How the agent was started: "-javaagent" or "attach". */
    String getStartedBy();

    /** Which part of the host's collection this agent does. */
    String getRole();

    /** One line per collector: its name, mode, events collected and dropped, its window, its counters. */
    String[] getCollectors();

    /** Keys not at their defaults and where each came from. */
    String[] getConfiguration();

    /** One line per output: its name, message counts and bytes waiting. */
    String[] getOutputs();

    /** Events each collector collected and dropped since start. */
    String[] getDroppedEvents();

    /** Failures inside the agent, by place (each contained and logged once). */
    String[] getFailures();
}
