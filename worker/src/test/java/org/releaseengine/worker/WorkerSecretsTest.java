package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.process.SecretRedactor;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostDirectory;

/** The secrets the worker's configuration holds are the ones masked in gate output. */
class WorkerSecretsTest {

  @TempDir Path dir;

  @Test
  void slackSecretsSecretNamedVariablesAndKeyLinesAreMasked() throws Exception {
    Path key = dir.resolve("id_ed25519");
    Files.writeString(
        key,
        """
        -----BEGIN OPENSSH PRIVATE KEY-----
        b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
        QyNTUxOQAAACBz
        -----END OPENSSH PRIVATE KEY-----
        """);
    Map<String, String> environment =
        Map.of(
            "SLACK_BOT_TOKEN", "xoxb-1111-2222-abcdefgh",
            "SLACK_SIGNING_SECRET", "8f742231b10e8888abcd99yyyzzz85a5",
            "REGISTRY_PASSWORD", "hunter2-but-longer",
            "PATH", "/usr/local/bin:/usr/bin:/bin");
    SecretRedactor redactor =
        WorkerSecrets.redactor(
            WorkerConfig.fromEnvironment(environment),
            environment,
            new HostDirectory(
                Map.of(
                    "production-1",
                    new HostConfig("production-1", key, dir.resolve("known_hosts"), null, "/n"))));
    String text =
        "xoxb-1111-2222-abcdefgh 8f742231b10e8888abcd99yyyzzz85a5 hunter2-but-longer "
            + "b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW "
            + "QyNTUxOQAAACBz -----BEGIN OPENSSH PRIVATE KEY----- /usr/local/bin:/usr/bin:/bin";
    String m = SecretRedactor.MASK;
    assertEquals(
        String.join(" ", m, m, m, m, m, "-----BEGIN OPENSSH PRIVATE KEY-----")
            + " /usr/local/bin:/usr/bin:/bin",
        redactor.apply(text));
  }
}
