package io.microagent.remote;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

class RemoteConfigurationTest {
    static final ObjectMapper JSON = new ObjectMapper();

    /** IoT Hub's patch semantics: objects merge key by key, a null deletes, anything else replaces. */
    @Test
    void aDesiredPatchMergesIntoTheSection() throws Exception {
        ObjectNode section = (ObjectNode) JSON.readTree("{\"Process_CacheSize\":512,\"Baseline_ChecksDisabled\":"
                + "[\"1.1\"],\"Nested\":{\"a\":1,\"b\":2}}");
        RemoteConfiguration.merge(section, (ObjectNode) JSON.readTree("{\"Process_CacheSize\":null,"
                + "\"Baseline_ChecksDisabled\":[\"2.2\"],\"Nested\":{\"b\":null,\"c\":3},\"Login_Disabled\":true}"));
        assertEquals(JSON.readTree("{\"Baseline_ChecksDisabled\":[\"2.2\"],\"Nested\":{\"a\":1,\"c\":3},"
                + "\"Login_Disabled\":true}"), section);
    }
}
