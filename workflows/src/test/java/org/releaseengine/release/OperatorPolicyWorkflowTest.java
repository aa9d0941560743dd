package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;

/** The release and its environments ask the worker's operator policy before they act. */
class OperatorPolicyWorkflowTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aReleaseThePolicyRefusesRunsNothing() {
    engine.policy.refusing = true;
    ReleaseStatus done =
        engine.result(engine.start(Specs.request(Specs.spec("shop"), SHA_1, "mallory")));

    assertEquals(ReleaseState.FAILED, done.state());
    assertEquals(Stage.POLICY, done.failedStage());
    assertEquals("requester: mallory may not start releases of shop", done.reason());
    assertEquals(StageState.PENDING, done.stage(Stage.BUILD).state());
    assertEquals(List.of(), engine.stages.calls, "nothing ran");
  }

  @Test
  void theAdmittedPolicyIsRecordedAndShown() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    String summary = release.status().stage(Stage.POLICY).summary();
    assertEquals(StageState.SUCCEEDED, release.status().stage(Stage.POLICY).state());
    assertTrue(
        summary.startsWith(
            "policy: staging on host-18080; production on host-19080; approval 1 of alice, bob,"
                + " carol"),
        summary);
  }

  @Test
  void anAbortBySomeoneThePolicyDoesNotAllowIsRefusedAndTheReleaseGoesOn() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.abort(new AbortRequest("mallory", "because"));
    engine.awaitStatus(release, s -> !s.refusedSignals().isEmpty());
    release.approve(new Approval("bob", null));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertEquals("abort", done.refusedSignals().get(0).signal());
    assertEquals(
        "mallory may not abort releases of shop (policy: alice, bob, carol, erin)",
        done.refusedSignals().get(0).reason());
  }

  @Test
  void theRequesterMayAbortTheirOwnRelease() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.abort(new AbortRequest("dave", null));
    assertEquals(ReleaseState.ABORTED, engine.result(release).state());
  }

  @Test
  void aRollbackThePolicyRefusesChangesNothing() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    engine.result(release);
    int deploys = engine.stages.calls.size();

    engine.policy.refusing = true;
    engine.rollback("shop", "production", SHA_1, "mallory", "r-1");
    Operation op = engine.awaitOperation("shop", "production", "r-1");
    assertEquals(Operation.State.REFUSED, op.state());
    assertEquals("mallory may not roll back shop", op.reason());
    assertEquals(deploys, engine.stages.calls.size(), "no host was touched");
    EnvironmentView view = engine.environment("shop", "production");
    assertEquals(SHA_1, view.liveSha());
  }
}
