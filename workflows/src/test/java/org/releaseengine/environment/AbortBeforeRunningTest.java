package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.AbortRequest;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * An abort that reaches the environment while its deploy is still reading what the hosts serve
 * (before the deploy itself has started) cancels it: before, it left only a tombstone nothing read
 * again, the aborted digest went live, and the release said the deploy had finished first.
 */
class AbortBeforeRunningTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void anAbortWhileTheDeployReadsTheHostsCancelsIt() throws InterruptedException {
    ReleaseWorkflow first = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    first.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(first).state());

    engine.stages.slowInspectSha = SHA_2;
    engine.stages.slowInspectTime = Duration.ofSeconds(2);
    ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    assertTrue(engine.stages.slowInspectStarted.await(30, TimeUnit.SECONDS));
    second.abort(new AbortRequest("carol", "wrong build"));
    ReleaseStatus aborted = engine.result(second);

    assertEquals(ReleaseState.ABORTED, aborted.state());
    assertTrue(
        aborted.reason().contains("staging: cancelled"),
        "the release reports the cancelled deploy: " + aborted.reason());
    EnvironmentView staging = engine.environment("shop", "staging");
    assertEquals(SHA_1, staging.liveSha(), "the aborted digest never went live");
    Operation deploy = staging.operations().get(staging.operations().size() - 1);
    assertEquals(Operation.State.CANCELLED, deploy.state(), deploy.toString());
    assertTrue(
        engine.stages.calls("deploy").stream().noneMatch(c -> SHA_2.equals(c.sha())),
        "no slot was started for the aborted release");
  }
}
