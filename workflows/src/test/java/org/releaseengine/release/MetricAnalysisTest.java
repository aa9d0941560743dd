package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import io.temporal.testing.WorkflowReplayer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.model.Approval;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.model.TrafficSpec;
import org.releaseengine.model.VerificationSpec;
import org.releaseengine.stage.TrafficActivities;

/** Post-deploy metric analysis, on time-skipping timers, with scripted metric values. */
class MetricAnalysisTest {

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
        5,
        failureLimit,
        noData);
  }

  private ReleaseStatus release(ReleaseSpec spec, String sha, Double... values) {
    return engine.resultSkippingTime(approved(spec, sha, values));
  }

  /** A release of {@code sha} approved, its measurements scripted to {@code values}. */
  private ReleaseWorkflow approved(ReleaseSpec spec, String sha, Double... values) {
    engine.stages.scriptMetrics(Arrays.asList(values));
    ReleaseWorkflow release = engine.start(Specs.request(spec, sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    return release;
  }

  private static List<String> verdicts(ReleaseStatus status) {
    return status.measurements().stream().map(m -> m.verdict().name()).toList();
  }

  @Test
  void healthyMetricsPassAndTheQueryNamesTheNewSlot() {
    ReleaseStatus done =
        release(
            Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE)), SHA_1, 0.01);
    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertEquals(List.of("PASS", "PASS", "PASS", "PASS", "PASS"), verdicts(done));
    assertEquals("errors{slot=\"blue\"}", engine.stages.queries.get(0));
    assertTrue(
        done.stage(Stage.VERIFY).summary().endsWith("5 measurements within limits"),
        done.stage(Stage.VERIFY).summary());
    long first = done.measurements().get(0).atMs();
    long span = done.measurements().get(4).atMs() - first;
    assertTrue(span >= 40_000 && span < 41_000, "10 s apart on durable timers: " + span);
  }

  @Test
  void verificationTrafficGoesThroughTheUrlWhileTheChecksRunAndIsInTheStatus() {
    ReleaseSpec plain = Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE));
    EnvironmentSpec production = plain.environment(ReleaseSpec.PRODUCTION);
    TrafficSpec load = new TrafficSpec("/hello", 10, Duration.ofSeconds(20));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(plain.environments());
    envs.put(
        ReleaseSpec.PRODUCTION,
        new EnvironmentSpec(
            production.url(),
            production.hosts(),
            production.slots(),
            production.healthPath(),
            production.rollbackWindow(),
            new VerificationSpec(
                production.verification().prometheus(), production.verification().checks(), load)));
    engine.stages.failedEvery = 100;
    ReleaseStatus done =
        release(
            new ReleaseSpec(
                "shop", plain.source(), plain.image(), plain.approval(), envs, null, null, null),
            SHA_1,
            0.01);
    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertEquals(
        List.of(new TrafficActivities.TrafficRequest(production.url(), load)),
        engine.stages.traffic);
    assertEquals(new TrafficCount(200, 2, null), done.traffic());
    assertTrue(
        done.stage(Stage.VERIFY)
            .summary()
            .endsWith("5 measurements within limits; traffic: 200 requests, 2 failed"),
        done.stage(Stage.VERIFY).summary());
  }

  @Test
  void withoutTrafficNoneIsSent() {
    ReleaseStatus done =
        release(
            Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE)), SHA_1, 0.01);
    assertEquals(List.of(), engine.stages.traffic);
    assertEquals(null, done.traffic());
  }

  @Test
  void passingTheFailureLimitRollsProductionBackAndShowsTheMeasurements() {
    ReleaseSpec spec = Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE));
    release(spec, SHA_1, 0.0);
    ReleaseStatus bad = release(spec, SHA_2, 0.01, 0.2, 0.01, 0.3);

    assertEquals(ReleaseState.ROLLED_BACK, bad.state());
    assertEquals(Stage.VERIFY, bad.failedStage());
    assertEquals(
        List.of("PASS", "FAIL", "PASS", "FAIL"),
        verdicts(bad),
        "stops at the measurement past the limit");
    assertEquals(0.3, bad.measurements().get(3).value());
    assertTrue(
        bad.reason()
            .startsWith(
                "metric analysis failed: error-rate: 2 failed measurement(s), more than the "
                    + "limit of 1; last 0.3 (expected <= 0.05); production rolled back to "
                    + SHA_1),
        bad.reason());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
  }

  @Test
  void noDataCountsAsFailureOnlyWhenThePolicySaysSo() {
    ReleaseStatus ignored =
        release(
            Specs.withVerification("quiet", errorRate(0, MetricCheck.NoData.IGNORE)),
            SHA_1,
            (Double) null);
    assertEquals(ReleaseState.SUCCEEDED, ignored.state());
    assertEquals(List.of("NO_DATA", "NO_DATA", "NO_DATA", "NO_DATA", "NO_DATA"), verdicts(ignored));

    ReleaseStatus failed =
        release(
            Specs.withVerification("strict", errorRate(0, MetricCheck.NoData.FAIL)),
            SHA_1,
            (Double) null);
    assertEquals(
        ReleaseState.FAILED, failed.state(), "the first deploy has nothing to roll back to");
    assertEquals(List.of("NO_DATA"), verdicts(failed));
    assertTrue(failed.reason().contains("last no data"), failed.reason());
  }

  @Test
  void prometheusDownIsAnErrorNotNoDataAndFailsTheCheck() {
    engine.stages.prometheus = StandInStages.UNREACHABLE;
    ReleaseStatus done =
        release(
            Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE)), SHA_1, 0.01);

    assertEquals(ReleaseState.FAILED, done.state(), done.reason());
    assertEquals(List.of("ERROR", "ERROR", "ERROR", "ERROR", "ERROR"), verdicts(done));
    assertTrue(
        done.reason().contains("error-rate: 5 consecutive errors, more than the limit of 4"),
        done.reason());
    assertTrue(done.reason().contains("refused"), "says what the error was: " + done.reason());
  }

  /**
   * An abort while a measurement waits to be tried again: the cancelled measurement is no error,
   * and the release replays from its history (a version marker written on the cancel moved on
   * replay).
   */
  @Test
  void anAbortWhileAMeasurementRetriesReplays() throws Exception {
    engine.stages.prometheus = StandInStages.UNREACHABLE;
    ReleaseWorkflow release =
        engine.start(
            Specs.request(
                Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE)),
                SHA_1,
                "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    engine.awaitStatus(release, s -> s.stage(Stage.VERIFY).state() == StageState.RUNNING);
    engine.env.sleep(Duration.ofSeconds(11)); // the first measurement is due, fails, backs off
    for (int i = 0; i < 200 && engine.stages.queries.isEmpty(); i++) {
      EngineTestEnvironment.sleep(10);
    }
    assertTrue(!engine.stages.queries.isEmpty(), "a measurement was tried");
    release.abort(new AbortRequest("dave", "wrong build"));
    ReleaseStatus done = engine.resultSkippingTime(release);

    assertEquals(ReleaseState.ABORTED, done.state(), done.reason());
    assertEquals(List.of(), verdicts(done), "a cancelled measurement is no error");
    WorkflowReplayer.replayWorkflowExecution(
        engine.client.fetchHistory(EngineNames.releaseId("shop", SHA_1)),
        ReleaseWorkflowImpl.class);
  }

  /**
   * An abort while production is verified (the previous slot still warm) puts the previous release
   * back, as a failed check does: an aborted release never stays live over one that succeeded.
   */
  @Test
  void anAbortDuringVerificationPutsThePreviousReleaseBack() {
    ReleaseSpec spec = Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE));
    release(spec, SHA_1, 0.0);
    ReleaseWorkflow release = approved(spec, SHA_2, 0.0);
    engine.awaitStatus(release, s -> s.stage(Stage.VERIFY).state() == StageState.RUNNING);
    release.abort(new AbortRequest("dave", "wrong build"));
    ReleaseStatus done = engine.resultSkippingTime(release);

    assertEquals(ReleaseState.ABORTED, done.state(), done.reason());
    assertTrue(done.reason().contains("production rolled back to " + SHA_1), done.reason());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
  }

  @Test
  void aQueryPrometheusRejectsFailsTheCheckAtOnce() {
    engine.stages.prometheus = StandInStages.REJECTS;
    ReleaseStatus done =
        release(
            Specs.withVerification("shop", errorRate(1, MetricCheck.NoData.IGNORE)), SHA_1, 0.01);

    assertEquals(ReleaseState.FAILED, done.state(), done.reason());
    assertEquals(List.of("ERROR"), verdicts(done));
    assertEquals(1, engine.stages.queries.size(), "a rejected query is not retried");
    assertTrue(done.reason().contains("Prometheus rejected the query"), done.reason());
  }

  @Test
  void aCheckThatCannotRunFailsTheAnalysisInsteadOfPassing() {
    MetricCheck broken =
        new MetricCheck(
            "broken", null, null, 0.05, Duration.ofSeconds(10), 2, 0, MetricCheck.NoData.IGNORE);
    ReleaseStatus done = release(Specs.withVerification("shop", broken), SHA_1, 0.01);

    assertEquals(ReleaseState.FAILED, done.state(), done.reason());
    assertTrue(done.reason().contains("broken"), done.reason());
  }

  @Test
  void measurementsWithoutDataAreNeverCalledWithinLimits() {
    ReleaseStatus done =
        release(
            Specs.withVerification("quiet", errorRate(0, MetricCheck.NoData.IGNORE)),
            SHA_1,
            (Double) null);
    String summary = done.stage(Stage.VERIFY).summary();

    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertTrue(!summary.contains("within limits"), summary);
    assertTrue(summary.endsWith("5 measurements, none with data"), summary);
  }

  @Test
  void theConsecutiveErrorLimitIsSetPerCheckAndAnAnswerResetsIt() {
    MetricCheck strict =
        new MetricCheck(
            "error-rate",
            "errors{slot=\"$slot\"}",
            null,
            0.05,
            Duration.ofSeconds(10),
            5,
            0,
            MetricCheck.NoData.IGNORE,
            1);
    engine.stages.prometheus = StandInStages.UNREACHABLE;
    ReleaseStatus done = release(Specs.withVerification("shop", strict), SHA_1, 0.01);

    assertEquals(ReleaseState.FAILED, done.state(), done.reason());
    assertEquals(List.of("ERROR", "ERROR"), verdicts(done));
    assertTrue(done.reason().contains("2 consecutive errors, more than the limit of 1"));
  }
}
