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
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Approval;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageStatus;

/**
 * A release holds production for as long as its own verification can take: a five-hour analysis
 * keeps the next release's deploy waiting until it is done. Before, the lease was three hours
 * whatever the spec said, and the next release deployed under the analysis it cut short.
 */
class LeaseLengthTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theNextReleaseWaitsForALongVerificationToEnd() {
    ReleaseSpec spec =
        Specs.withVerification(
            "shop",
            new MetricCheck(
                "errors",
                "errors{slot=\"$slot\"}",
                null,
                0.05,
                Duration.ofMinutes(1),
                300,
                0,
                MetricCheck.NoData.IGNORE));
    engine.stages.scriptMetrics(java.util.List.of(0.0));
    engine.stages.deployTime = Duration.ofSeconds(2);
    ReleaseWorkflow first = engine.start(Specs.request(spec, SHA_1, "dave"));
    engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    // admitted after the first: a release admitted before the live one is never deployed over it
    ReleaseWorkflow second = engine.start(Specs.request(spec, SHA_2, "dave"));
    engine.awaitStatus(second, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    first.approve(new Approval("bob", null));
    // the second order waits in production's queue while the first one deploys there
    engine.awaitStatus(first, s -> s.currentStage() == Stage.DEPLOY_PRODUCTION);
    second.approve(new Approval("carol", null));
    engine.awaitStatus(second, s -> s.currentStage() == Stage.DEPLOY_PRODUCTION);

    ReleaseStatus done = engine.resultSkippingTime(first);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
    StageStatus verified = done.stage(Stage.VERIFY);
    engine.resultSkippingTime(second);
    Operation secondDeploy =
        engine.environment("shop", "production").operations().stream()
            .filter(o -> SHA_2.equals(o.sha()))
            .findFirst()
            .orElseThrow();
    assertTrue(
        secondDeploy.startedAtMs() >= verified.endedAtMs(),
        "the second release deployed "
            + Duration.ofMillis(verified.endedAtMs() - secondDeploy.startedAtMs())
            + " before the first one's verification ended");
  }
}
