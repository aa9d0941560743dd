package org.releaseengine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.policy.OperatorPolicy;
import org.releaseengine.policy.PolicyFile;
import org.releaseengine.policy.PolicyRefusal;

/**
 * The policy scripts/lib/hosts.sh writes for the local hosts requires the gates the examples run,
 * and admits the examples as they are: the demo and the benches release them under it.
 */
class LocalPolicyTest {

  static final Path ROOT = Path.of(System.getProperty("project.root", "..")).toAbsolutePath();

  @TempDir Path dir;

  /** The policy policy_write writes (its signers' keys left out: no decision is made here). */
  OperatorPolicy localPolicy() throws IOException, InterruptedException {
    ProcessBuilder write =
        new ProcessBuilder(
                "bash", "-c", ". scripts/lib/hosts.sh && signers_up() { :; } && policy_write")
            .directory(ROOT.toFile())
            .redirectErrorStream(true);
    write.environment().put("D", dir.toString());
    write.environment().put("DOCKER_HOST", "unix:///nonexistent");
    Process process = write.start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, process.waitFor(), output);
    return PolicyFile.load(dir.resolve("policy.yaml"));
  }

  static ReleaseSpec example(String name) throws SpecException {
    return new ReleaseSpecLoader().load(ROOT.resolve("examples/" + name + "/release.yaml"));
  }

  @Test
  void theExamplesAreAdmittedWithTheirGates() throws Exception {
    OperatorPolicy policy = localPolicy();
    for (String name : List.of("hello-app", "static-site")) {
      ReleaseSpec spec = example(name);
      assertEquals(spec.scanners(), policy.admit(spec, "ci").spec().scanners(), name);
    }
  }

  @Test
  void theGatesTheExamplesRunAreRequired() throws Exception {
    OperatorPolicy policy = localPolicy();
    ReleaseSpec hello = example("hello-app");
    ReleaseSpec unscanned =
        new ReleaseSpec(
            hello.service(),
            hello.source(),
            hello.image(),
            hello.approval(),
            hello.environments(),
            null,
            hello.e2e(),
            hello.notifications());
    assertEquals(
        "scanners: pmd is required by the policy",
        assertThrows(PolicyRefusal.class, () -> policy.admit(unscanned, "ci")).getMessage());
    ReleaseSpec site = example("static-site");
    ReleaseSpec untested =
        site.withSteps(site.steps().stream().map(step -> step.withE2e(null)).toList());
    assertEquals(
        "environments[0].e2e: an E2E suite is required by the policy",
        assertThrows(PolicyRefusal.class, () -> policy.admit(untested, "ci")).getMessage());
  }
}
