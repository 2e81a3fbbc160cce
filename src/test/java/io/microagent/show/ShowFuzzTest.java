package io.microagent.show;

import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.code_intelligence.jazzer.mutation.annotation.NotNull;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

/** show over any bytes: every line shown or reported, nothing unprintable reaches the terminal, no throw. */
class ShowFuzzTest {
    @FuzzTest(maxDuration = "2m")
    void anyInput(@NotNull byte[] input) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Show.run(new String[] {"--full"}, new ByteArrayInputStream(input), new PrintStream(out, true,
                StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8), 120,
                Clock.fixed(Instant.parse("2026-11-28T06:00:00Z"), ZoneOffset.UTC));
        assertTrue(code == 0 || code == 1);
        out.toString(StandardCharsets.UTF_8).lines().forEach(l -> {
            assertTrue(l.length() <= 120, l);
            assertTrue(l.chars().noneMatch(c -> c < 0x20 || c >= 0x7f && c <= 0x9f), l);
        });
    }
}
