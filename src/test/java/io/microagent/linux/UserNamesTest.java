package io.microagent.linux;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class UserNamesTest {
    @TempDir
    Path root;

    @Test
    void passwdLinesGiveNamesAndGarbledOnesAreCounted() {
        Map<Integer, String> names = new HashMap<>();
        long malformed = UserNames.parse("root:x:0:0:root:/root:/bin/bash\n# comment\nbroken line\n"
                + "pi:x:1000:1000:,,,:/home/pi:/bin/bash\ntoor:x:0:0::/root:/bin/sh\nbad:x:notanumber:0::/:/bin/sh\n",
                names);
        assertEquals(Map.of(0, "root", 1000, "pi"), names);
        assertEquals(2, malformed);
    }

    @Test
    void namesComeFromTheHostRootAndFollowChanges() throws IOException {
        Path passwd = Files.createDirectories(root.resolve("etc")).resolve("passwd");
        Files.writeString(passwd, "device:x:4000:4000::/home/device:/bin/sh\n");
        UserNames users = new UserNames(new HostPaths(root));
        assertEquals("device", users.nameOf(4000));
        assertNull(users.nameOf(0), "the fixture tree has no root user: no name, not the real host's");
    }

    @Test
    void aMissingPasswdGivesNoNames() {
        assertNull(new UserNames(new HostPaths(root)).nameOf(0));
    }
}
