package org.releaseengine.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.bluegreen.BlueGreenDeployer;
import org.releaseengine.docker.DockerEngine;
import org.releaseengine.docker.ImageBuilder;
import org.releaseengine.docker.SealedRunner;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.process.SecretRedactor;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.E2eActivities;
import org.releaseengine.stage.E2eActivities.E2eRequest;

/** The example app's own E2E suite against a real staging deploy. */
class E2eRunnerIT {

  private static final String SERVICE = "e2e" + (System.nanoTime() % 100000);
  private static final EnvironmentSpec STAGING = TestHosts.environment("staging");
  private static final E2eSpec SUITE =
      new E2eSpec("java e2e/HelloE2e.java", "e2e-results", Duration.ofMinutes(2))
          .withRunner(Infra.gateRunner());

  private static TestActivityEnvironment env;
  private static BuildActivities builder;
  private static DeployActivities deployer;
  private static E2eActivities e2e;
  private static ExampleRepo repo;

  @BeforeAll
  static void setUp() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(
        new ImageBuilder(new DockerEngine(Infra.dockerHost())),
        new BlueGreenDeployer(
            HostDirectory.load(Path.of(Infra.env("RELEASE_HOSTS_FILE"))), new SshConnections()),
        new E2eRunner(
            new SealedRunner(new DockerEngine(Infra.dockerHost()), SecretRedactor.none())));
    ActivityOptions once =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    builder = env.newActivityStub(BuildActivities.class, once);
    deployer = env.newActivityStub(DeployActivities.class, once);
    e2e = env.newActivityStub(E2eActivities.class, once);
    repo = ExampleRepo.create();
  }

  @AfterAll
  static void tearDown() {
    TestHosts.cleanUp(SERVICE, "staging");
    env.close();
  }

  private static GateResult deployAndTest(String sha, Slot slot) {
    SourceSpec source = new SourceSpec(repo.dir().toString(), ".", "Dockerfile");
    ImageRef image =
        builder.buildImage(
            new BuildRequest(
                SERVICE, sha, source, new ImageSpec(Infra.registry() + "/" + SERVICE)));
    deployer.deploy(new SlotTarget(SERVICE, "staging", STAGING, slot, image));
    return e2e.runSuite(new E2eRequest(SERVICE, sha, source, SUITE, STAGING.url()));
  }

  @Test
  void aGoodBuildPassesAndABuildWithAWrongVersionFails() {
    GateResult good = deployAndTest(repo.commit("", "good"), Slot.BLUE);
    assertTrue(good.passed(), good.summary());
    assertEquals("E2E passed against " + STAGING.url() + ": 3 tests, 0 failed", good.summary());

    GateResult wrong =
        deployAndTest(repo.commit("version=0000000", "reports the wrong version"), Slot.GREEN);
    assertFalse(wrong.passed());
    assertTrue(
        wrong
            .summary()
            .startsWith(
                "E2E failed against "
                    + STAGING.url()
                    + " (exit 1): 3 tests, 1 failed; "
                    + "failing: version_is_the_released_sha; last output: "),
        wrong.summary());
  }
}
