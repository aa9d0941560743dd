package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.TestSigners;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.Stage;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.signing.DecisionSubject;

/**
 * An environment about to continue as new waits for its update handlers first: a signed rollback
 * whose signature is being verified when the environment would continue as new is carried out and
 * answered, not dropped with the old run.
 */
class HandlersBeforeContinueAsNewTest {

  @TempDir Path keys;

  // every idle moment is a moment to continue as new
  private final EngineTestEnvironment engine =
      EngineTestEnvironment.withLimits(RecordLimits.DEFAULT.withHistoryEvents(1));

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aSignedRollbackBeingVerifiedIsCarriedOutAcrossTheContinueAsNew() throws Exception {
    TestSigners people = TestSigners.create(keys, List.of("erin"));
    engine.policy.allowedSigners = people.allowedSigners();
    engine.policy.rollbackers = List.of("erin");
    ReleaseWorkflow first = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    first.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(first).state());

    // the second release's staging deploy ends while the rollback's signature is being verified
    engine.stages.deployTime = Duration.ofSeconds(2);
    engine.stages.deployStarted = new CountDownLatch(1);
    engine.policy.verifyTime = Duration.ofSeconds(4);
    ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    engine.awaitStatus(second, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    engine.stages.deployStarted.await(30, TimeUnit.SECONDS);
    EnvironmentWorkflow staging =
        engine.client.newWorkflowStub(
            EnvironmentWorkflow.class, EngineNames.environmentId("shop", "staging"));
    Operation done =
        staging.requestRollback(
            people.sign("erin", DecisionSubject.rollback("shop", "staging", SHA_1), null));

    assertEquals(Operation.State.SUCCEEDED, done.state(), done.toString());
    assertEquals(SHA_1, engine.environment("shop", "staging").liveSha());
  }
}
