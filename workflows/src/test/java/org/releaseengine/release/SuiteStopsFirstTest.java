package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages.Call;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.Stage;

/**
 * An aborted release lets staging go only once its E2E suite has stopped: the next release's deploy
 * never runs while the aborted suite still runs against staging. Before, the release let go at once
 * and the next deploy overlapped the suite (found by the interleaving harness, seed 5).
 */
class SuiteStopsFirstTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theNextDeployWaitsForTheAbortedSuiteToStop() {
    engine.stages.e2eTime = Duration.ofSeconds(3);
    ReleaseWorkflow first = engine.start(Specs.request(Specs.withGates("shop"), SHA_1, "dave"));
    engine.awaitStatus(first, s -> s.currentStage() == Stage.E2E);
    ReleaseWorkflow second = engine.start(Specs.request(Specs.withGates("shop"), SHA_2, "dave"));
    engine.awaitStatus(second, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    first.abort(new AbortRequest("dave", "wrong build"));

    assertEquals(ReleaseState.ABORTED, engine.result(first).state());
    engine.stages.e2eTime = Duration.ZERO;
    engine.awaitStatus(second, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    Call suite =
        engine.stages.calls("e2e").stream().filter(c -> SHA_1.equals(c.sha())).findFirst().get();
    Call deploy =
        engine.stages.calls("deploy").stream()
            .filter(c -> SHA_2.equals(c.sha()) && "staging".equals(c.environment()))
            .findFirst()
            .get();
    assertTrue(
        deploy.startNanos() > suite.endNanos(),
        "the deploy of the next release began "
            + (suite.endNanos() - deploy.startNanos()) / 1_000_000
            + " ms before the aborted suite stopped");
  }
}
