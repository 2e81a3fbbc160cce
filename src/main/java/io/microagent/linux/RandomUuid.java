package io.microagent.linux;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.UUID;

/**
 * Version 4 (random) UUIDs for message ids and the AgentId, without the JDK's {@code SecureRandom}: its first use
 * loads the security provider framework (about 80 classes, over a megabyte of a device's resident memory) for ids
 * that need to be unique, not secret. The generator is seeded once from the kernel's {@code /dev/urandom}, so two
 * devices started from one image at the same clock reading still draw different ids.
 */
public final class RandomUuid {
    private static final Path URANDOM = Path.of("/dev/urandom");
    private static final SplittableRandom RANDOM = new SplittableRandom(seed());

    private RandomUuid() {
    }

    public static UUID next() {
        long high;
        long low;
        synchronized (RANDOM) {
            high = RANDOM.nextLong();
            low = RANDOM.nextLong();
        }
        high = (high & ~0xF000L) | 0x4000L; // version 4
        low = (low & ~(0xC000L << 48)) | (0x8000L << 48); // IETF variant
        return new UUID(high, low);
    }

    private static long seed() {
        try (InputStream in = Files.newInputStream(URANDOM)) {
            byte[] bytes = in.readNBytes(Long.BYTES);
            if (bytes.length == Long.BYTES) {
                return ByteBuffer.wrap(bytes).getLong();
            }
        } catch (IOException | RuntimeException e) {
            // No /dev/urandom (a very unusual container): the JDK's generator seeds instead, whatever it costs.
        }
        return UUID.randomUUID().getMostSignificantBits();
    }
}
