package io.microagent.output;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class StdoutOutputTest {
    @Test
    void eachMessageIsOneLine() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        StdoutOutput out = new StdoutOutput(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        out.send("{\"a\":\"é\"}".getBytes(StandardCharsets.UTF_8)).join();
        out.send("{\"b\":2}".getBytes(StandardCharsets.UTF_8)).join();
        assertEquals("{\"a\":\"é\"}" + System.lineSeparator() + "{\"b\":2}" + System.lineSeparator(),
                bytes.toString(StandardCharsets.UTF_8));
    }

    @Test
    void aBrokenStreamFailsTheSendSoTheOutboxRetries() {
        PrintStream broken = new PrintStream(new OutputStream() {
            @Override
            public void write(int b) throws java.io.IOException {
                throw new java.io.IOException("closed");
            }
        });
        assertTrue(new StdoutOutput(broken).send(new byte[] {'x'}).isCompletedExceptionally());
    }
}
