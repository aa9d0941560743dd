package org.releaseengine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.Specs;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.PolicyActivities.AdmissionRequest;

/** A release whose secrets the worker's store lacks is refused when admitted, naming the field. */
class PolicyGateSecretsTest {

  @TempDir Path dir;

  private ReleaseSpec withSecret() {
    ReleaseSpec spec = OperatorPolicyTest.withoutHosts(Specs.spec("shop", null));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(spec.environments());
    envs.put(
        "production",
        envs.get("production")
            .withContainer(
                new ContainerSpec(null, List.of("DB_URL", "API_KEY"), null, null, null, null)));
    return OperatorPolicyTest.with(spec, envs);
  }

  @Test
  void aMissingSecretIsRefusedBeforeAnythingRuns() throws Exception {
    Path env = Files.createDirectories(dir.resolve("shop/production"));
    Files.writeString(env.resolve("DB_URL"), "postgres://db/shop\n");
    PolicyGate gate =
        PolicyGate.of(
            Path.of("src/test/resources/policy/shop.yaml"),
            SecretStore.fromEnvironment(Map.of("RELEASE_SECRETS_DIR", dir.toString())));
    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class, () -> gate.admit(new AdmissionRequest(withSecret(), "ci")));
    assertEquals(FailureTypes.REFUSED, refused.getType());
    assertEquals(
        "environments.production.secrets[1]: secret API_KEY: no such file "
            + env.resolve("API_KEY")
            + " in the secret store",
        refused.getOriginalMessage());

    Files.writeString(env.resolve("API_KEY"), "k\n");
    assertTrue(
        gate.admit(new AdmissionRequest(withSecret(), "ci"))
            .spec()
            .environment("production")
            .container()
            .secrets()
            .contains("API_KEY"));
  }

  @Test
  void aListedEnvironmentsMissingSecretIsNamedByItsPlace() {
    ReleaseSpec mapped = withSecret();
    ReleaseSpec listed =
        mapped.withSteps(
            List.of(
                new EnvironmentStep("staging", null, null, true),
                new EnvironmentStep("production", null, null, true)));
    PolicyGate gate =
        PolicyGate.of(
            Path.of("src/test/resources/policy/shop.yaml"),
            SecretStore.fromEnvironment(Map.of("RELEASE_SECRETS_DIR", dir.toString())));
    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class, () -> gate.admit(new AdmissionRequest(listed, "ci")));
    assertTrue(
        refused.getOriginalMessage().startsWith("environments[1].secrets[0]: secret DB_URL: "),
        refused.getOriginalMessage());
  }
}
