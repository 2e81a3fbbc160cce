package io.microagent.config;

import io.microagent.schedule.Priority;

/** The keys every collector has: {@code <Name>_Disabled} and {@code <Name>_MessageFrequency}. */
public record CollectorKeys(String prefix, Setting<Boolean> disabled, Setting<Priority> frequency) {
}
