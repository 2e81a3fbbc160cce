package io.microagent.linux;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.util.HashMap;
import java.util.Map;

/** /etc/passwd, fuzzed: names come from lines that parse, malformed lines are counted. */
class UserNamesFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void passwd(@NotNull String text) {
        Map<Integer, String> names = new HashMap<>();
        long malformed = UserNames.parse(text, names);
        assertTrue(malformed >= 0 && malformed <= text.split("\n", -1).length);
        names.values().forEach(n -> assertTrue(text.contains(n)));
    }
}
