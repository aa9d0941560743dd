package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;
import static org.releaseengine.Specs.SHA_3;

import io.temporal.api.enums.v1.EventType;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.StandInStages.Call;
import org.releaseengine.model.Approval;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.Decision;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Slot;
import org.releaseengine.model.Stage;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.model.TrafficSpec;
import org.releaseengine.release.AbortRequest;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * The canary's step logic on the time-skipping test server with stand-in stages: weights, pauses,
 * analysis against the canary slot, promote and abort. The first release of a service has no stable
 * slot and is a plain blue-green switch; the second one is the canary (GREEN beside BLUE).
 */
class CanaryTest {

  private static final String SERVICE = "shop";
  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  private static MetricCheck errorRate(int failureLimit, MetricCheck.NoData noData) {
    return new MetricCheck(
        "error-rate",
        "errors{slot=\"$slot\"}",
        null,
        0.05,
        Duration.ofSeconds(10),
        3,
        failureLimit,
        noData);
  }

  private ReleaseWorkflow startApproved(ReleaseSpec spec, String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(spec, sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    return release;
  }

  /**
   * A release whose measurements return {@code values} in order (null: no data), timers skipped.
   */
  private ReleaseStatus release(ReleaseSpec spec, String sha, Double... values) {
    engine.stages.scriptMetrics(Arrays.asList(values));
    return engine.resultSkippingTime(startApproved(spec, sha));
  }

  private List<String> weights(String sha) {
    return engine.stages.calls("weight").stream()
        .filter(c -> sha.equals(c.sha()))
        .map(Call::outcome)
        .toList();
  }

  private List<String> switches(String sha) {
    return engine.stages.calls("switch").stream()
        .filter(c -> sha.equals(c.sha()))
        .map(Call::outcome)
        .toList();
  }

  private List<String> retired(String sha) {
    return engine.stages.calls("retire").stream()
        .filter(c -> sha.equals(c.sha()))
        .map(Call::outcome)
        .toList();
  }

  @Test
  void aHealthyCanaryStepsThroughItsWeightsAndIsPromoted() {
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE,
            errorRate(0, MetricCheck.NoData.IGNORE),
            CanaryStep.setWeight(10),
            CanaryStep.pause(Duration.ofMinutes(5)),
            CanaryStep.analysis(List.of()),
            CanaryStep.setWeight(50),
            CanaryStep.pause(Duration.ofMinutes(5)));
    assertEquals(ReleaseState.SUCCEEDED, release(spec, SHA_1, 0.01).state());
    assertEquals(
        List.of(), weights(SHA_1), "the first release has no stable slot: one switch, no canary");

    ReleaseStatus done = release(spec, SHA_2, 0.01);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
    assertEquals(
        List.of("green"), engine.stages.calls("canary").stream().map(Call::outcome).toList());
    assertEquals(List.of("10", "50"), weights(SHA_2));
    assertEquals(
        List.of("green"), switches(SHA_2), "the final promotion sends every request to the canary");
    assertEquals(List.of(), retired(SHA_1), "the stable slot stays warm for the rollback window");
    assertTrue(
        done.stage(Stage.DEPLOY_PRODUCTION).summary().endsWith("(canary promoted)"),
        done.stage(Stage.DEPLOY_PRODUCTION).summary());
    assertEquals(
        "errors{slot=\"green\"}", engine.stages.queries.get(engine.stages.queries.size() - 1));
    assertEquals(
        6, done.measurements().size(), "3 at the canary's analysis step, 3 after the promotion");

    EnvironmentView production = engine.environment(SERVICE, "production");
    assertEquals(SHA_2, production.liveSha());
    assertEquals(Slot.GREEN, production.liveSlot());
    assertEquals(SHA_1, production.warm().image().sha());
  }

  /** Every deployProgress signal the environment sent, from its history. */
  private List<DeployProgress> progressReports(String environment) {
    return engine
        .client
        .fetchHistory(EngineNames.environmentId(SERVICE, environment))
        .getEvents()
        .stream()
        .filter(
            e ->
                e.getEventType()
                    == EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)
        .map(e -> e.getSignalExternalWorkflowExecutionInitiatedEventAttributes())
        .filter(a -> a.getSignalName().equals("deployProgress"))
        .map(
            a ->
                DefaultDataConverter.STANDARD_INSTANCE.fromPayloads(
                    0,
                    java.util.Optional.of(a.getInput()),
                    DeployProgress.class,
                    DeployProgress.class))
        .toList();
  }

  @Test
  void theTrafficOfACanarysAnalysisIsInTheStatus() {
    TrafficSpec load = new TrafficSpec("/hello", 10, Duration.ofSeconds(10));
    ReleaseSpec spec =
        Specs.withTraffic(
            Specs.withCanary(
                SERVICE,
                errorRate(0, MetricCheck.NoData.IGNORE),
                CanaryStep.setWeight(25),
                CanaryStep.analysis(List.of()),
                CanaryStep.setWeight(50)),
            load);
    assertEquals(ReleaseState.SUCCEEDED, release(spec, SHA_1, 0.01).state());
    engine.stages.failedEvery = 10;

    ReleaseStatus done = release(spec, SHA_2, 0.5);
    assertEquals(ReleaseState.ROLLED_BACK, done.state(), done.reason());
    assertEquals(
        2, engine.stages.traffic.size(), "after the first deploy, and at the canary's step");
    assertEquals(
        new TrafficCount(100, 10, null),
        done.traffic(),
        "the canary's analysis sent it; no verification ran after the canary was taken back");
  }

  @Test
  void progressReportsCarryOnlyNewMeasurementsAndTheReleaseKeepsThemAll() {
    MetricCheck manyMeasurements =
        new MetricCheck(
            "error-rate",
            "errors{slot=\"$slot\"}",
            null,
            0.05,
            Duration.ofSeconds(10),
            12,
            0,
            MetricCheck.NoData.IGNORE);
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE,
            manyMeasurements,
            CanaryStep.setWeight(10),
            CanaryStep.analysis(List.of()),
            CanaryStep.setWeight(50),
            CanaryStep.analysis(List.of()));
    release(spec, SHA_1, 0.01);
    ReleaseStatus done = release(spec, SHA_2, 0.01);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
    List<DeployProgress> reports = progressReports("production");
    int carried = reports.stream().mapToInt(r -> r.measurements().size()).sum();
    assertEquals(
        24,
        carried,
        "each of the canary's 24 measurements is sent once, not again with every report: "
            + reports.stream().map(r -> r.measurements().size()).toList());
    assertEquals(
        24 + 12,
        done.measurements().size(),
        "the release keeps every canary measurement, then the verification's");
    List<Long> times = done.measurements().subList(0, 24).stream().map(Measurement::atMs).toList();
    assertEquals(times.stream().sorted().toList(), times, "in the order they were measured");
  }

  @Test
  void moreFailedMeasurementsThanTheLimitSendEveryRequestBackToStable() {
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE,
            errorRate(1, MetricCheck.NoData.IGNORE),
            CanaryStep.setWeight(10),
            CanaryStep.analysis(List.of("error-rate")),
            CanaryStep.setWeight(50));
    release(spec, SHA_1, 0.0);
    ReleaseStatus withinLimit = release(spec, SHA_2, 0.5, 0.01, 0.01, 0.01);
    assertEquals(
        ReleaseState.SUCCEEDED,
        withinLimit.state(),
        "one failure is within a limit of one: " + withinLimit.reason());

    ReleaseStatus failed = release(spec, SHA_3, 0.5, 0.01, 0.5);
    assertEquals(ReleaseState.ROLLED_BACK, failed.state());
    assertEquals(Stage.DEPLOY_PRODUCTION, failed.failedStage());
    assertEquals(
        "canary analysis at 10% failed: error-rate: 2 failed measurement(s), more than the limit of 1; "
            + "last 0.5 (expected <= 0.05); all traffic back on "
            + SHA_2,
        failed.reason());
    assertEquals(List.of("10"), weights(SHA_3), "the canary never reached its next step");
    assertEquals(
        List.of("green"),
        switches(SHA_2).subList(switches(SHA_2).size() - 1, switches(SHA_2).size()),
        "every request back to the stable slot");
    assertEquals(List.of("blue"), retired(SHA_3), "the canary slot is stopped");
    assertEquals(
        List.of("FAIL", "PASS", "FAIL"),
        failed.measurements().stream().map(m -> m.verdict().name()).toList());
    assertEquals(SHA_2, engine.environment(SERVICE, "production").liveSha());
  }

  @Test
  void noDataFailsTheCanaryOnlyWhenItsPolicySaysSo() {
    CanaryStep[] steps = {CanaryStep.setWeight(20), CanaryStep.analysis(List.of())};
    ReleaseSpec ignoring =
        Specs.withCanary(SERVICE, errorRate(0, MetricCheck.NoData.IGNORE), steps);
    release(ignoring, SHA_1, 0.0);
    ReleaseStatus ignored = release(ignoring, SHA_2, (Double) null);
    assertEquals(ReleaseState.SUCCEEDED, ignored.state(), ignored.reason());
    assertTrue(
        ignored.measurements().stream().allMatch(m -> m.verdict() == Measurement.Verdict.NO_DATA));

    ReleaseStatus failed =
        release(
            Specs.withCanary(SERVICE, errorRate(0, MetricCheck.NoData.FAIL), steps),
            SHA_3,
            (Double) null);
    assertEquals(ReleaseState.ROLLED_BACK, failed.state());
    assertTrue(
        failed
            .reason()
            .startsWith(
                "canary analysis at 20% failed: error-rate: 1 failed measurement(s), "
                    + "more than the limit of 0; last no data"),
        failed.reason());
    assertEquals(SHA_2, engine.environment(SERVICE, "production").liveSha());
  }

  @Test
  void promoteSkipsTheRemainingPausesAndIsRefusedWithoutARunningCanary() {
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE,
            errorRate(0, MetricCheck.NoData.IGNORE),
            CanaryStep.setWeight(10),
            CanaryStep.pause(null),
            CanaryStep.setWeight(50),
            CanaryStep.pause(Duration.ofHours(1)));
    ReleaseSpec noAnalysisAfter =
        new ReleaseSpec(
            SERVICE,
            spec.source(),
            spec.image(),
            spec.approval(),
            Specs.withoutVerification(spec.environments()),
            null,
            null,
            null);
    engine.resultSkippingTime(startApproved(noAnalysisAfter, SHA_1));

    ReleaseWorkflow release = engine.start(Specs.request(noAnalysisAfter, SHA_2, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.promote("bob");
    release.approve(new Approval("bob", null));
    engine.awaitCanaryStep(release, "pause until promoted");
    release.promote("mallory");
    release.promote("carol");
    // waited for in real time: an hour's pause that the promote did not skip would never end here
    ReleaseStatus done = engine.result(release);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
    assertEquals(List.of("10", "50"), weights(SHA_2));
    assertEquals(
        List.of("promote", "promote"),
        done.refusedSignals().stream().map(r -> r.signal()).toList());
    assertEquals("no canary step is running", done.refusedSignals().get(0).reason());
    assertTrue(
        done.refusedSignals()
            .get(1)
            .reason()
            .startsWith("mallory may not promote releases of shop"),
        done.refusedSignals().get(1).reason());
    assertEquals(
        List.of("carol"),
        done.decisions().stream()
            .filter(d -> Decision.Kind.PROMOTE.equals(d.kind()))
            .map(Decision::by)
            .toList());
  }

  @Test
  void abortDuringAPauseSendsEveryRequestBackToStable() {
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE,
            errorRate(0, MetricCheck.NoData.IGNORE),
            CanaryStep.setWeight(10),
            CanaryStep.pause(Duration.ofHours(1)),
            CanaryStep.setWeight(50));
    release(spec, SHA_1, 0.0);
    ReleaseWorkflow release = startApproved(spec, SHA_2);
    engine.awaitCanaryStep(release, "pause 3600s");
    release.abort(new AbortRequest("carol", "error budget spent"));
    ReleaseStatus aborted = engine.result(release);
    assertEquals(ReleaseState.ABORTED, aborted.state());
    assertEquals(
        "aborted by carol: error budget spent; production: cancelled: the release was aborted",
        aborted.reason(),
        "the release reports what its environment did with the canary");
    Operation order =
        engine.awaitOperation(
            SERVICE,
            "production",
            engine.environment(SERVICE, "production").operations().get(1).id());
    assertEquals(Operation.State.CANCELLED, order.state());
    assertEquals(List.of("10"), weights(SHA_2));
    assertEquals(
        "blue", switches(SHA_1).get(switches(SHA_1).size() - 1), "every request back to stable");
    assertEquals(List.of("green"), retired(SHA_2));
    assertEquals(SHA_1, engine.environment(SERVICE, "production").liveSha());
  }

  /**
   * An abort that arrives while the canary's final promotion switch runs: the switch finishes
   * first, then every request goes back to stable and the canary slot stops. The promotion never
   * lands after the undo, on a stopped slot.
   */
  @Test
  void anAbortDuringThePromotionSwitchUndoesItAfterItHasLanded() throws InterruptedException {
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE, errorRate(0, MetricCheck.NoData.IGNORE), CanaryStep.setWeight(50));
    release(spec, SHA_1, 0.0);
    engine.stages.slowSwitchSha = SHA_2;
    engine.stages.slowSwitchTime = Duration.ofSeconds(2);
    ReleaseWorkflow release = startApproved(spec, SHA_2);
    assertTrue(engine.stages.slowSwitchStarted.await(30, java.util.concurrent.TimeUnit.SECONDS));
    release.abort(new AbortRequest("carol", "not now"));
    ReleaseStatus aborted = engine.result(release);

    assertEquals(ReleaseState.ABORTED, aborted.state(), aborted.reason());
    // the promotion switch runs to its end on the host whatever the workflow does meanwhile
    long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
    while (switches(SHA_2).isEmpty() && System.nanoTime() < deadline) {
      EngineTestEnvironment.sleep(50);
    }
    List<Call> switches =
        engine.stages.calls("switch").stream()
            .filter(c -> c.environment().equals("production"))
            .toList();
    Call promotion = switches.stream().filter(c -> SHA_2.equals(c.sha())).findFirst().orElseThrow();
    Call back = switches.get(switches.size() - 1);
    assertEquals(SHA_1, back.sha(), "the last switch sends every request back to stable");
    assertTrue(
        promotion.endNanos() <= back.startNanos(),
        "the promotion switch landed after the switch back: " + switches);
    assertEquals(List.of("green"), retired(SHA_2), "the canary slot is stopped");
    EnvironmentView production = engine.environment(SERVICE, "production");
    assertEquals(SHA_1, production.liveSha());
    assertEquals(
        production.liveSlot(),
        engine.stages.served.get(StandInStages.hostKey(SERVICE, "production", "host-19080")),
        "the host serves what the environment says is live");
  }

  @Test
  void aRollbackDuringACanaryTakesItBackFirst() {
    ReleaseSpec spec =
        Specs.withCanary(
            SERVICE,
            errorRate(0, MetricCheck.NoData.IGNORE),
            CanaryStep.setWeight(25),
            CanaryStep.pause(null),
            CanaryStep.setWeight(75));
    release(spec, SHA_1, 0.0);
    ReleaseWorkflow release = startApproved(spec, SHA_2);
    engine.awaitCanaryStep(release, "until promoted");
    engine.rollback(SERVICE, "production", SHA_1, "erin", "rb-canary");
    Operation rollback = engine.awaitOperation(SERVICE, "production", "rb-canary");

    assertEquals(Operation.State.SUCCEEDED, rollback.state(), rollback.reason());
    assertEquals("already live in the blue slot", rollback.reason());
    ReleaseStatus stopped = engine.result(release);
    assertEquals(ReleaseState.FAILED, stopped.state());
    assertEquals("cancelled: rollback to " + SHA_1 + " requested by erin", stopped.reason());
    assertEquals(List.of("25"), weights(SHA_2));
    assertEquals(List.of("green"), retired(SHA_2), "the canary slot is stopped");
    assertEquals(SHA_1, engine.environment(SERVICE, "production").liveSha());
  }
}
