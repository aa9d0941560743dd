package org.releaseengine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PolicyFileTest {

  @TempDir Path dir;

  String problems(String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("policy.yaml"), yaml);
    return assertThrows(IllegalArgumentException.class, () -> PolicyFile.load(file))
        .getMessage()
        .replace(file + ": ", "");
  }

  @Test
  void theExampleFileReads() {
    OperatorPolicy policy = PolicyFile.load(Path.of("../deploy/policy.example.yaml"));
    assertEquals(Map.of("U012AB3CD", "alice", "U045EF6GH", "bob"), policy.slackUsers());
  }

  @Test
  void aHostNotBoundToTheEnvironmentOrServiceIsAProblem() throws IOException {
    String yaml =
        Files.readString(Path.of("src/test/resources/policy/shop.yaml"))
            .replace("hosts: [billing-staging]", "hosts: [host-19080]");
    assertEquals(
        "services.billing.environments[0].hosts: host-19080 is not bound to staging of billing"
            + " (its environments/services)",
        problems(yaml));
  }

  @Test
  void productionWithoutApprovalAndUnknownFieldsAreProblems() throws IOException {
    assertEquals(
        "services.shop.owner: unknown field (expected one of abort, environments, promote,"
            + " rollback, start); services.shop.environments[1].approval: production needs an"
            + " approval policy",
        problems(
            """
            hosts:
              h1: {address: 127.0.0.1, user: deploy, environments: [staging, production], services: [shop]}
            services:
              shop:
                owner: me
                start: [ci]
                environments:
                  - {name: staging, hosts: [h1]}
                  - {name: production, hosts: [h1]}
            """));
  }

  @Test
  void aMissingFileIsOneLine() {
    assertEquals(
        "no such file",
        assertThrows(IllegalArgumentException.class, () -> PolicyFile.load(dir.resolve("none")))
            .getMessage()
            .replace(dir.resolve("none") + ": ", ""));
  }
}
