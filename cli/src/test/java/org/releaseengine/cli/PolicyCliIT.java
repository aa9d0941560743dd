package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.cli.LiveEngine.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.TestSigners;
import org.releaseengine.cli.LiveEngine.Run;
import org.releaseengine.policy.PolicyGate;

/**
 * release-cli against a worker that holds a real operator policy (shop.yaml in the activities
 * tests: ci, alice and dave may start shop; alice, bob and carol approve): the attacks a
 * release.yaml could make on its own gate are refused by the worker before anything starts.
 */
class PolicyCliIT {

  private static final String SHA = "ccccccc333333333333333333333333333333333";

  /** What the refused attempts ask to release: never started. */
  private static final String REFUSED_SHA = "ddddddd444444444444444444444444444444444";

  private static LiveEngine engine;

  @TempDir Path dir;

  /** shop.yaml with the people's allowed_signers: every decision and start is signed. */
  @BeforeAll
  static void startEngine() throws Exception {
    Path policy = Path.of("target/policy-cli-it.yaml");
    Files.writeString(
        policy,
        Files.readString(Path.of("../activities/src/test/resources/policy/shop.yaml"))
            + "allowedSigners: "
            + LiveEngine.PEOPLE.allowedSignersFile().toAbsolutePath()
            + "\n");
    engine = new LiveEngine(PolicyGate.of(policy));
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  private Path config(String text) {
    return ReleaseYaml.write(dir, text);
  }

  private static String shop(String approval, String stagingHosts) {
    return """
        service: shop
        source: {git: .}
        image: {repository: 127.0.0.1:5000/shop}
        %s
        environments:
          staging:
            url: http://127.0.0.1:18080
            slots: {blue: 18081, green: 18082}
            %s
          production:
            url: http://127.0.0.1:19080
            slots: {blue: 19081, green: 19082}
        """
        .formatted(approval, stagingHosts);
  }

  private void assertRefused(String yaml, String as, String why) {
    Path file = config(yaml);
    Run start =
        cli("start", "--config", file.toString(), "--sha", REFUSED_SHA, "--key", engine.key(as));
    assertEquals(2, start.exitCode(), start.toString());
    assertEquals(
        List.of("release-cli: " + file + ": refused by the worker's operator policy: " + why),
        start.err().lines().toList());
    Run list = cli("list", "--service", "shop");
    assertTrue(!list.out().contains("ddddddd"), "nothing was started: " + list.out());
  }

  @Test
  void selfApprovalNamedByTheFileIsRefused() {
    assertRefused(
        shop("approval: {approvers: [dave], required: 1, allowSelfApproval: true}", ""),
        "dave",
        "approval.approvers: dave is not an approver of production in the policy (alice, bob,"
            + " carol)");
  }

  @Test
  void stagingHostsThatAreProductionsAreRefused() {
    assertRefused(
        shop(
            "",
            "hosts: [{name: host-19080, address: 127.0.0.1, port: 2222, user: deploy,"
                + " nginxPort: 19080}]"),
        "ci",
        "environments.staging.hosts[0]: host-19080 (127.0.0.1:2222) is not a host the policy"
            + " gives this environment (host-18080); leave hosts out of release.yaml");
  }

  @Test
  void aRequesterThePolicyDoesNotNameIsRefused() {
    assertRefused(
        shop("", ""),
        "mallory",
        "requester: mallory may not start releases of shop (policy: ci, alice, dave)");
  }

  @Test
  void validateAgainstTheWorkerShowsTheEffectivePolicyAndStartsNothing() {
    Path file = config(shop("", ""));
    Run check = cli("validate", "--config", file.toString(), "--against-worker", "--as", "ci");
    assertEquals(0, check.exitCode(), check.toString());
    assertTrue(
        check
            .out()
            .contains(
                "is admitted by the worker's policy: staging on host-18080; production on"
                    + " host-19080; approval production 1 of alice, bob, carol"),
        check.out());
    Run refused =
        cli("validate", "--config", file.toString(), "--against-worker", "--as", "mallory");
    assertEquals(2, refused.exitCode(), refused.toString());
  }

  @Test
  void anAdmittedReleaseUsesThePolicysHostsAndApproval() {
    Path file = config(shop("", ""));
    Run start = cli("start", "--config", file.toString(), "--sha", SHA, "--key", engine.key("ci"));
    assertEquals(0, start.exitCode(), start.toString());
    String id = "shop/" + SHA.substring(0, 7);
    long deadline = System.nanoTime() + 30_000_000_000L;
    Run status = cli("status", id);
    while (!status.out().contains("AWAITING_APPROVAL") && System.nanoTime() < deadline) {
      status = cli("status", id);
    }
    assertTrue(status.out().contains("started by ci; policy: staging on host-18080"), status.out());
    assertTrue(status.out().contains("decisions signed"), status.out());
    Run unsigned = cli("approve", id, "--key", "target/no-such-key");
    assertEquals(2, unsigned.exitCode(), unsigned.toString());
    assertTrue(unsigned.err().startsWith("release-cli: cannot sign with target/no-such-key"));
    TestSigners stranger =
        TestSigners.create(Path.of("target/stranger-signers"), java.util.List.of("alice"));
    Run unknown = cli("approve", id, "--key", stranger.key("alice").toString());
    assertEquals(2, unknown.exitCode(), unknown.toString());
    assertTrue(unknown.err().contains("is not in allowed_signers"), unknown.err());
    Run approve = cli("approve", id, "--key", engine.key("ci"));
    assertEquals(2, approve.exitCode(), "ci is no approver: " + approve);
    assertEquals(
        0, cli("abort", id, "--key", engine.key("ci")).exitCode(), "the requester may abort");

    // offline, from the history: who signed what, and the stranger's signature does not hold
    Run verify =
        cli(
            "verify",
            id,
            "--allowed-signers",
            LiveEngine.PEOPLE.allowedSignersFile().toAbsolutePath().toString());
    assertEquals(1, verify.exitCode(), verify.toString());
    List<String> lines = verify.out().lines().toList();
    assertTrue(lines.get(0).startsWith("start    by ci (SHA256:"), verify.out());
    assertTrue(lines.stream().anyMatch(l -> l.contains("BAD: key SHA256:")), verify.out());
    assertTrue(lines.stream().anyMatch(l -> l.startsWith("abort    by ci (SHA256:")), verify.out());
    assertTrue(lines.get(lines.size() - 1).endsWith("3 of 4 signatures hold"), verify.out());
  }
}
