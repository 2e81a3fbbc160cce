package io.microagent.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.microagent.collect.operational.RemoteConfigurationReport;
import io.microagent.config.Configuration;
import io.microagent.json.Json;
import io.microagent.json.Tree;
import io.microagent.log.AgentLog;
import io.microagent.log.LogLevel;
import io.microagent.testing.Await;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RemoteConfigurationTest {
    /** IoT Hub's patch semantics: objects merge key by key, a null deletes, anything else replaces. */
    @Test
    @SuppressWarnings("unchecked")
    void aDesiredPatchMergesIntoTheSection() throws Exception {
        Map<String, Object> section = object("{\"Process_CacheSize\":512,\"Baseline_ChecksDisabled\":"
                + "[\"1.1\"],\"Nested\":{\"a\":1,\"b\":2}}");
        Map<String, Object> patch = object("{\"Process_CacheSize\":null,\"Baseline_ChecksDisabled\":[\"2.2\"],"
                + "\"Nested\":{\"b\":null,\"c\":3},\"Login_Disabled\":true}");
        RemoteConfiguration.merge(section, patch);
        assertEquals(object("{\"Baseline_ChecksDisabled\":[\"2.2\"],\"Nested\":{\"a\":1,\"c\":3},"
                + "\"Login_Disabled\":true}"), section);
        ((List<Object>) patch.get("Baseline_ChecksDisabled")).add("3.3");
        assertEquals(List.of("2.2"), section.get("Baseline_ChecksDisabled"), "the section shares nothing with a patch");
    }

    static Map<String, Object> object(String json) throws Exception {
        return Tree.object(Json.read(json.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }

    /**
     * What the application did with its twin before the agent listened cannot be seen (a request of its own may be
     * in flight, and SDK 2.5.0 loses one of two replies in flight at once): the agent's start counts as activity, so
     * its first twin read waits for quiet like any other.
     */
    @Test
    void theAgentsStartCountsAsApplicationTwinActivity() throws Exception {
        RemoteConfiguration remote = new RemoteConfiguration(Configuration.defaults(), c -> List.of(), null,
                Optional.empty(), AgentLog.toStderr(LogLevel.ERROR), new RemoteConfigurationReport());
        assertFalse(remote.applicationTwinQuiet(), "quiet at once: the first read could cross the application's");
        Await.until("quiet " + RemoteConfiguration.QUIET + " after the start", 10, remote::applicationTwinQuiet);
    }
}
