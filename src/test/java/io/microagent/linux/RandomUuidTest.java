package io.microagent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.HashSet;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

class RandomUuidTest {
    @Test
    void idsAreVersionFourOfTheIetfVariantAndDoNotRepeat() {
        Set<UUID> seen = new HashSet<>();
        Set<Character> firstOfClockSeq = new HashSet<>();
        for (int i = 0; i < 100_000; i++) {
            UUID id = RandomUuid.next();
            assertEquals(4, id.version(), id.toString());
            assertEquals(2, id.variant(), id.toString());
            assertEquals(id, UUID.fromString(id.toString()));
            seen.add(id);
            firstOfClockSeq.add(id.toString().charAt(19));
        }
        assertEquals(100_000, seen.size());
        assertEquals(Set.of('8', '9', 'a', 'b'), firstOfClockSeq, "the variant's two bits only are fixed");
    }
}
