package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.SlowSignal;
import org.releaseengine.Specs;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;

/**
 * A release whose environment's workflow is lost (terminated while it takes the order in) gives up
 * waiting after a bound and says what it waited for.
 */
class LostEnvironmentTest {

  private final EngineTestEnvironment engine =
      new EngineTestEnvironment(
          new SlowSignal(s -> s.getSignalName().equals("deploy"), Duration.ofSeconds(2)));

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  @Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
  void aDeployWaitGivesUpAndSaysWhatItWaitedFor() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    String staging = EngineNames.environmentId("shop", "staging");
    awaitRunning(staging);
    engine.client.newUntypedWorkflowStub(staging).terminate("lost");
    ReleaseStatus done = engine.resultSkippingTime(release);

    assertEquals(ReleaseState.FAILED, done.state());
    assertTrue(
        done.reason().startsWith("no answer from env/shop/staging within 24h"), done.reason());
  }

  private void awaitRunning(String workflowId) {
    for (int i = 0; i < 500; i++) {
      try {
        engine.client.newUntypedWorkflowStub(workflowId).describe();
        return;
      } catch (RuntimeException notYet) {
        EngineTestEnvironment.sleep(10);
      }
    }
    throw new AssertionError(workflowId + " never started");
  }
}
