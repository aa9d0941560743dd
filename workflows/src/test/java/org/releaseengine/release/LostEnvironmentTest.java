package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;

import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;

/**
 * A release whose environment never answers (a DeafEnvironment under the environment's id takes
 * every signal and does nothing) gives up after its bound and says what it waited for. Time is
 * skipped: the lost environment completes its tasks, so the test server is never held up.
 */
class LostEnvironmentTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aDeployTheEnvironmentNeverAnswersEndsAfterItsBoundAndSaysWhatItWaitedFor() {
    engine.loseEnvironment("shop", "staging");
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    ReleaseStatus done = engine.resultSkippingTime(release);

    assertEquals(ReleaseState.FAILED, done.state(), done.reason());
    assertEquals(Stage.DEPLOY_STAGING, done.failedStage());
    assertTrue(
        Pattern.matches(
            "no answer from env/shop/staging within 24h about order \\S+/staging \\(.+\\)",
            done.reason()),
        done.reason());
    assertTrue(
        done.endedAtMs() - done.startedAtMs() >= 24 * 3600_000L,
        "it waited the whole bound: " + (done.endedAtMs() - done.startedAtMs()) + " ms");
  }

  @Test
  void anAbortWhoseEnvironmentNeverAnswersEndsAfterItsBoundAndSaysWhatItWaitedFor() {
    engine.loseEnvironment("shop", "staging");
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    release.abort(new AbortRequest("erin", "wrong branch"));
    ReleaseStatus done = engine.resultSkippingTime(release);

    assertEquals(ReleaseState.ABORTED, done.state(), done.reason());
    assertTrue(
        Pattern.matches(
            "aborted by erin: wrong branch; no answer from env/shop/staging within 30m about"
                + " order \\S+/staging: it may still be deploying or undoing",
            done.reason()),
        done.reason());
  }
}
