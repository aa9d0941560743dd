package org.releaseengine.worker;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.releaseengine.process.SecretRedactor;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostDirectory;

/**
 * The secret values this worker holds, for the redactor that masks them in gate output: the Slack
 * token and signing secret, every variable of its environment whose name says it is a secret, and
 * the lines of its hosts' SSH private keys.
 */
final class WorkerSecrets {

  /** Names of variables that hold secrets by convention. */
  static final Pattern SECRET_NAME =
      Pattern.compile(".*(TOKEN|SECRET|PASSWORD|PASSPHRASE|API_KEY|PRIVATE_KEY|CREDENTIALS).*");

  private WorkerSecrets() {}

  static SecretRedactor redactor(
      WorkerConfig config, Map<String, String> environment, HostDirectory hosts) {
    List<String> secrets = new ArrayList<>();
    secrets.add(config.slack().botToken());
    secrets.add(config.slack().signingSecret());
    environment.forEach(
        (name, value) -> {
          if (SECRET_NAME.matcher(name).matches()) {
            secrets.add(value);
          }
        });
    for (HostConfig host : hosts.all()) {
      try {
        // each line of the key's body; the BEGIN and END lines are no secret
        Files.readAllLines(host.privateKey()).stream()
            .filter(line -> !line.startsWith("-----"))
            .forEach(secrets::add);
      } catch (IOException e) {
        // the deploys that need this key say so; nothing of it can leak if it cannot be read
      }
    }
    return SecretRedactor.of(secrets);
  }
}
