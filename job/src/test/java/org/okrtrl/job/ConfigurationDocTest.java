package org.okrtrl.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.okrtrl.job.config.ConfigurationDoc;
import org.okrtrl.job.config.JobConfig;

/** docs/CONFIGURATION.md is what the code declares, option for option. */
class ConfigurationDocTest {
    static final Path DOC = Path.of("../docs/CONFIGURATION.md");

    @Test
    void theCheckedInDocumentMatchesTheOptions() throws IOException {
        String generated = ConfigurationDoc.markdown();
        if (Boolean.getBoolean("okrtrl.writeConfigurationDoc")) {
            Files.writeString(DOC, generated, StandardCharsets.UTF_8);
        }
        assertEquals(generated, Files.readString(DOC, StandardCharsets.UTF_8),
                "docs/CONFIGURATION.md is stale: regenerate it with -Dokrtrl.writeConfigurationDoc=true");
        for (String key : JobConfig.configurationKeys()) {
            assertTrue(generated.contains("`" + key + "`"), key + " is documented");
        }
    }
}
