package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.bench.BenchEngine;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.Approval;
import org.releaseengine.model.CanarySpec;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.Stage;
import org.releaseengine.model.VerificationSpec;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * Canary releases with the whole engine, real nginx weights, Docker and the Prometheus of
 * scripts/infra.sh (it scrapes the production slots, ports 19081/19082), under a load generator: the
 * share of requests at a 10% step, promotion to 100% with the stable slot retired after the rollback
 * window, and a canary that fails its analysis at 10% sending every request back to stable.
 */
class CanaryIT {

  static final String SERVICE = "canaried";
  static final String ERROR_RATIO = "(sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\","
      + "status=~\"5..\"}[5s])) or vector(0)) / sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\"}[5s]))";

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE, "staging");
    TestHosts.cleanUp(SERVICE, "production");
  }

  /** Production rolled out by {@code steps}; the stable slot stays warm {@code window} after a promotion. */
  static ReleaseSpec spec(String service, ExampleRepo repo, Duration window, CanaryStep... steps) {
    EnvironmentSpec production = new EnvironmentSpec("http://127.0.0.1:19080",
        List.of(new HostSpec("production-1", "127.0.0.1", 2223, "release-deploy", 19080)), new SlotPorts(19081, 19082),
        "/healthz", window, new VerificationSpec(Infra.env("RELEASE_PROMETHEUS"), List.of(
            new MetricCheck("error-ratio", ERROR_RATIO, null, 0.05, Duration.ofSeconds(1), 4, 0, MetricCheck.IGNORE))),
        new CanarySpec(List.of(steps)));
    ReleaseSpec base = BenchEngine.spec(service, repo.dir(), TestHosts.environment("staging"), production);
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(base.environments());
    return new ReleaseSpec(service, base.source(), base.image(), base.approval(), envs, null, null, null);
  }

  static ReleaseWorkflow startApproved(BenchEngine engine, ReleaseSpec spec, String sha) throws InterruptedException {
    ReleaseWorkflow release = engine.client.newWorkflowStub(ReleaseWorkflow.class, WorkflowOptions.newBuilder()
        .setWorkflowId(EngineNames.releaseId(spec.service(), sha)).setTaskQueue(EngineNames.TASK_QUEUE).build());
    WorkflowClient.start(release::run, new ReleaseRequest(spec, sha, "ci"));
    awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bench-approver", null));
    return release;
  }

  static ReleaseStatus awaitStatus(ReleaseWorkflow release, Predicate<ReleaseStatus> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
    ReleaseStatus status = release.status();
    while (!condition.test(status)) {
      if (System.nanoTime() > deadline || status.state().isFinal()) {
        throw new AssertionError("status never matched; last: " + status);
      }
      Thread.sleep(50);
      status = release.status();
    }
    return status;
  }

  static boolean atStep(ReleaseStatus status, String step) {
    String summary = status.stage(Stage.DEPLOY_PRODUCTION).summary();
    return summary != null && summary.contains(step);
  }

  /** The canary's share of the good answers over at least {@code requests} requests, in percent. */
  static double shareOf(LoadGenerator load, String canary, String stable, int requests) throws InterruptedException {
    load.countAfresh();
    while (load.answers(canary) + load.answers(stable) < requests) {
      Thread.sleep(20);
    }
    return 100.0 * load.answers(canary) / (load.answers(canary) + load.answers(stable));
  }

  private static String version() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19080/version")).build(),
        HttpResponse.BodyHandlers.ofString()).body().trim();
  }

  @Test
  void aTenPercentStepGetsATenthOfRequestsAndAFailingCanaryGoesBackToStable() throws Exception {
    ExampleRepo repo = ExampleRepo.create();
    String v1 = repo.commit("", "v1");
    String v2 = repo.commit("", "v2");
    String bad = repo.commit("error_rate=0.5", "v3 fails every other request");
    ReleaseSpec spec = spec(SERVICE, repo, Duration.ofSeconds(3), CanaryStep.setWeight(10), CanaryStep.pause(null),
        CanaryStep.analysis(List.of()));
    try (BenchEngine engine = new BenchEngine()) {
      engine.release(spec, v1);
      LoadGenerator load = new LoadGenerator("http://127.0.0.1:19080/hello", 4, 500, Duration.ofMinutes(6),
          v1, v2).start();
      try {
        ReleaseWorkflow release = startApproved(engine, spec, v2);
        awaitStatus(release, s -> atStep(s, "pause until promoted"));
        double share = shareOf(load, v2, v1, 2500);
        assertTrue(share >= 7 && share <= 13, "share of the canary at a 10% step: " + share + "%");
        release.promote("bench-approver");
        ReleaseStatus promoted = WorkflowStub.fromTyped(release).getResult(ReleaseStatus.class);
        assertEquals(ReleaseState.SUCCEEDED, promoted.state(), promoted.reason());
        assertTrue(promoted.measurements().stream().noneMatch(m -> Measurement.FAILED.equals(m.verdict())),
            promoted.measurements().toString());
        assertEquals(0, load.failed(), "no request failed during the canary: " + load.firstFailure());
        assertEquals(v2, version());
        Thread.sleep(6000); // the rollback window (3 s), then the retirement
        assertTrue(TestHosts.slotRunning(SERVICE, "production", "green"), "the promoted canary runs");
        assertFalse(TestHosts.slotRunning(SERVICE, "production", "blue"), "the stable slot is retired");

        load.expect(bad);
        ReleaseStatus failed = engine.releaseExpecting(spec(SERVICE, repo, Duration.ofSeconds(3),
            CanaryStep.setWeight(10), CanaryStep.analysis(List.of())), bad, ReleaseState.ROLLED_BACK);
        long decided = System.currentTimeMillis();
        assertTrue(failed.reason().startsWith("canary analysis at 10% failed: error-ratio: 1 failed measurement(s)"),
            failed.reason());
        assertTrue(failed.reason().endsWith("all traffic back on " + v2), failed.reason());
        assertTrue(failed.measurements().stream().anyMatch(m -> Measurement.FAILED.equals(m.verdict())
            && m.value() > 0.05), failed.measurements().toString());
        Thread.sleep(1000);
        assertTrue(load.lastSeenMs(bad) > 0 && load.lastSeenMs(bad) < decided,
            "the failing canary served some requests, and none after the release ended");
        double afterwards = shareOf(load, bad, v2, 500);
        assertEquals(0.0, afterwards, "every request back on stable");
        assertFalse(TestHosts.slotRunning(SERVICE, "production", "blue"), "the failed canary slot is stopped");
        assertEquals(v2, version());
      } finally {
        load.close();
      }
    }
  }
}
