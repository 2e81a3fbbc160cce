package io.microagent.config;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's configuration table documents every key with the default the code uses. */
class ReadmeTest {
    @Test
    void everyKeyIsDocumentedWithItsDefault() throws IOException {
        List<String> lines = Files.readAllLines(Path.of("README.md"));
        for (Setting<?> setting : Settings.all()) {
            String row = lines.stream().filter(l -> l.startsWith("| `" + setting.key() + "` |")).findFirst()
                    .orElseThrow(() -> new AssertionError(setting.key() + " has no row in README.md"));
            String documented = row.split("\\|")[2].trim();
            if (setting.defaultText() == null) {
                assertTrue(documented.equals("unset") || documented.equals("a writable default"), row);
            } else {
                assertTrue(documented.equals("`" + setting.defaultText() + "`"), row);
            }
        }
    }
}
