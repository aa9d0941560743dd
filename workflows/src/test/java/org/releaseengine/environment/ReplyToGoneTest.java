package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.Stage;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * An environment whose answer finds no release to take it (terminated, or never there) notes that
 * and goes on: its operation is finished once, and it still answers and deploys. Before, the failed
 * signal was taken for a failure of the operation itself, which was finished a second time and
 * failed every workflow task after it.
 */
class ReplyToGoneTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aReleaseTerminatedBeforeItsEnvironmentRepliesLeavesTheEnvironmentWorking()
      throws InterruptedException {
    engine.stages.deployTime = Duration.ofSeconds(2);
    engine.stages.deployStarted = new CountDownLatch(1);
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    engine.stages.deployStarted.await(30, TimeUnit.SECONDS);
    engine
        .client
        .newUntypedWorkflowStub(EngineNames.releaseId("shop", SHA_1))
        .terminate("gone before staging answered");

    EnvironmentView staging = engine.awaitEnvironment("shop", "staging", v -> finishedOne(v));
    assertEquals(1, staging.operations().size(), staging.toString());
    assertEquals(Operation.State.SUCCEEDED, staging.operations().get(0).state());
    assertEquals(SHA_1, staging.liveSha());

    // and the next release deploys there as before
    engine.stages.deployTime = Duration.ZERO;
    ReleaseWorkflow next = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    engine.awaitStatus(next, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    next.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(next).state());
    assertEquals(SHA_2, engine.environment("shop", "staging").liveSha());
  }

  @Test
  void aRollbackThatNamesNoWorkflowToAnswerIsFinishedOnce() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    new EnvironmentRequests(engine.client)
        .submitRollback(
            "shop",
            "staging",
            new RollbackRequest(SHA_1, "erin", "rb-nobody", "nobody/listens/here"));

    Operation done = engine.awaitOperation("shop", "staging", "rb-nobody");
    EnvironmentView staging = engine.environment("shop", "staging");
    assertEquals(
        1,
        staging.operations().stream().filter(o -> o.id().equals("rb-nobody")).count(),
        staging.toString());
    assertEquals(Operation.State.SUCCEEDED, done.state(), done.toString());
    WorkflowStub stub =
        engine.client.newUntypedWorkflowStub(EngineNames.environmentId("shop", "staging"));
    assertEquals(SHA_1, stub.query("view", EnvironmentView.class).liveSha());
  }

  private static boolean finishedOne(EnvironmentView view) {
    return !view.operations().isEmpty() && view.operations().get(0).finished();
  }
}
