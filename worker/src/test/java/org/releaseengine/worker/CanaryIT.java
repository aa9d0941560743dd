package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.bench.BenchEngine;
import org.releaseengine.bench.Production;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.AbortRequest;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * Canary releases with the whole engine, real nginx weights, Docker and the Prometheus of
 * scripts/infra.sh, under a load generator: the share of requests at a 10% step, promotion to 100%
 * with the stable slot retired after the rollback window, a canary that fails its analysis at 10%
 * sending every request back to stable, and an abort doing the same.
 */
class CanaryIT {

  private static final String SERVICE = "canaried";
  private static final Duration WINDOW = Duration.ofSeconds(3);
  private static final MetricCheck CHECK = Production.errorRatio(Duration.ofSeconds(1), 4, 0);

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE);
  }

  @Test
  void aTenPercentStepGetsATenthOfRequestsAndAFailingOrAbortedCanaryGoesBackToStable()
      throws Exception {
    ExampleRepo repo = ExampleRepo.create();
    String v1 = repo.commit("", "v1");
    String v2 = repo.commit("", "v2");
    String bad = repo.commit("error_rate=0.5", "v3 fails every other request");
    String v4 = repo.commit("", "v4");
    ReleaseSpec spec =
        Production.spec(
            SERVICE,
            repo,
            WINDOW,
            CHECK,
            CanaryStep.setWeight(10),
            CanaryStep.pause(null),
            CanaryStep.analysis(List.of()));
    try (BenchEngine engine = new BenchEngine()) {
      engine.release(spec, v1);
      LoadGenerator load =
          new LoadGenerator(Production.URL + "/hello", 4, 500, Duration.ofMinutes(6), v1, v2)
              .start();
      try {
        ReleaseWorkflow release = engine.startApproved(spec, v2);
        BenchEngine.awaitCanaryStep(release, "pause until promoted");
        double share = Production.shareOf(load, v2, v1, 2500);
        System.out.println("canary share at a 10% step over 2,500 answers: " + share + "%");
        assertTrue(share >= 7 && share <= 13, "share of the canary at a 10% step: " + share + "%");
        release.promote("bench-approver");
        ReleaseStatus promoted = WorkflowStub.fromTyped(release).getResult(ReleaseStatus.class);
        assertEquals(ReleaseState.SUCCEEDED, promoted.state(), promoted.reason());
        assertTrue(
            promoted.measurements().stream()
                .noneMatch(m -> m.verdict() == Measurement.Verdict.FAIL),
            promoted.measurements().toString());
        assertEquals(
            0, load.failed(), "no request failed during the canary: " + load.firstFailure());
        assertEquals(v2, Production.version());
        Thread.sleep(WINDOW.toMillis() + 3000); // the rollback window, then the retirement
        assertTrue(
            TestHosts.slotRunning(SERVICE, "production", "green"), "the promoted canary runs");
        assertFalse(
            TestHosts.slotRunning(SERVICE, "production", "blue"), "the stable slot is retired");

        load.expect(bad);
        ReleaseStatus failed =
            engine.releaseExpecting(
                Production.spec(
                    SERVICE,
                    repo,
                    WINDOW,
                    CHECK,
                    CanaryStep.setWeight(10),
                    CanaryStep.analysis(List.of())),
                bad,
                ReleaseState.ROLLED_BACK);
        long ended = System.currentTimeMillis();
        assertTrue(
            failed
                .reason()
                .startsWith("canary analysis at 10% failed: error-ratio: 1 failed measurement(s)"),
            failed.reason());
        assertTrue(failed.reason().endsWith("all traffic back on " + v2), failed.reason());
        assertTrue(
            failed.measurements().stream()
                .anyMatch(m -> m.verdict() == Measurement.Verdict.FAIL && m.value() > 0.05),
            failed.measurements().toString());
        Thread.sleep(1000);
        assertTrue(
            load.lastSeenMs(bad) > 0 && load.lastSeenMs(bad) < ended,
            "the failing canary served some requests, and none after the release ended");
        assertEquals(0.0, Production.shareOf(load, bad, v2, 500), "every request back on stable");
        assertFalse(
            TestHosts.slotRunning(SERVICE, "production", "blue"),
            "the failed canary slot is stopped");
        assertEquals(v2, Production.version());

        load.expect(v4);
        ReleaseWorkflow aborted = engine.startApproved(spec, v4);
        BenchEngine.awaitCanaryStep(aborted, "pause until promoted");
        assertTrue(Production.shareOf(load, v4, v2, 300) > 0, "the canary takes its share");
        long abortedAt = System.currentTimeMillis();
        aborted.abort(new AbortRequest("bench-approver", "checking the way back"));
        assertEquals(
            ReleaseState.ABORTED,
            WorkflowStub.fromTyped(aborted).getResult(ReleaseStatus.class).state());
        Thread.sleep(3000); // the environment takes the canary back on its own
        System.out.println(
            "abort to the last answer of the canary: " + (load.lastSeenMs(v4) - abortedAt) + " ms");
        assertEquals(
            0.0,
            Production.shareOf(load, v4, v2, 500),
            "every request back on stable after the abort");
        assertFalse(
            TestHosts.slotRunning(SERVICE, "production", "blue"),
            "the aborted canary slot is stopped");
      } finally {
        load.close();
      }
    }
  }
}
