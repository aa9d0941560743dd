package org.releaseengine.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes release.yaml files for tests: a valid one per service, or any text. */
final class ReleaseYaml {

  private ReleaseYaml() {}

  static String valid(String service, String extraApproval) {
    return """
        service: %s
        source:
          git: .
        image:
          repository: 127.0.0.1:5000/%s
        approval:
          approvers: [alice, bob, carol]
          timeout: 1h
        %s
        environments:
          staging:
            url: http://127.0.0.1:18080
            slots: {blue: 18081, green: 18082}
            hosts:
              - {name: staging-1, address: 127.0.0.1, port: 2222, user: deploy, nginxPort: 18080}
          production:
            url: http://127.0.0.1:19080
            rollbackWindow: 10m
            slots: {blue: 19081, green: 19082}
            hosts:
              - {name: production-1, address: 127.0.0.1, port: 2223, user: deploy, nginxPort: 19080}
        """
        .formatted(service, service, extraApproval.indent(2).stripTrailing());
  }

  static Path write(Path dir, String text) {
    try {
      Path file = Files.createTempFile(dir, "release-", ".yaml");
      Files.writeString(file, text);
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
