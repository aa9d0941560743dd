package hello;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {

  @Test
  void aSecretIsReportedByItsLengthNeverItsValue(@TempDir Path dir) throws Exception {
    Path data = Files.createDirectory(dir.resolve("data"));
    String text = HelloApp.describeConfig(Map.of("GREETING", "hi", "DEMO_SECRET", "s3cr3t-value"), data);
    assertEquals(
        "env GREETING: hi\nsecret DEMO_SECRET: set (12 chars)\nvolume /data: mounted (1 starts)\n", text);
    assertFalse(text.contains("s3cr3t"));
    assertEquals(
        "env GREETING: (not set)\nsecret DEMO_SECRET: not set\nvolume /data: not mounted\n",
        HelloApp.describeConfig(Map.of(), dir.resolve("nowhere")));
  }
}
