package io.microagent.aggregate;

/** What a full aggregation table does with a new identity. */
public enum OverflowPolicy {
    /** The micro agent on Linux: the oldest entry goes to make room. */
    DROP_OLDEST,
    /** The micro agent on Azure RTOS: the new event is not kept until the window closes. */
    REFUSE_NEW
}
