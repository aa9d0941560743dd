package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.Stage;

/**
 * A release cancelled through Temporal (not aborted through the engine) still cancels the deploy it
 * ordered and lets its environments go: before, the environment went on deploying and kept its
 * lease for hours, and the next release waited.
 */
class CancelledReleaseTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aCancelledReleaseCancelsItsDeployAndLetsItsEnvironmentGo() throws InterruptedException {
    engine.stages.deployTime = Duration.ofSeconds(20);
    engine.stages.deployStarted = new CountDownLatch(1);
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    engine.stages.deployStarted.await(30, TimeUnit.SECONDS);
    engine.client.newUntypedWorkflowStub(EngineNames.releaseId("shop", SHA_1)).cancel();

    EnvironmentView staging =
        engine.awaitEnvironment(
            "shop", "staging", v -> !v.operations().isEmpty() && v.operations().get(0).finished());
    Operation deploy = staging.operations().get(0);
    assertEquals(Operation.State.CANCELLED, deploy.state(), deploy.toString());

    engine.stages.deployTime = Duration.ZERO;
    ReleaseWorkflow next = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    engine.awaitStatus(next, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    next.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(next).state());
  }

  @Test
  void aReleaseCancelledWhileItHoldsStagingLetsItGo() {
    engine.stages.e2eTime = Duration.ofSeconds(5);
    ReleaseWorkflow release = engine.start(Specs.request(Specs.withGates("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.currentStage() == Stage.E2E);
    engine.client.newUntypedWorkflowStub(EngineNames.releaseId("shop", SHA_1)).cancel();

    engine.stages.e2eTime = Duration.ZERO;
    ReleaseWorkflow next = engine.start(Specs.request(Specs.withGates("shop"), SHA_2, "dave"));
    engine.awaitStatus(next, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    assertEquals(SHA_2, engine.environment("shop", "staging").liveSha());
  }
}
