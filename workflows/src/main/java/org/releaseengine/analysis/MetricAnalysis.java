package org.releaseengine.analysis;

import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.model.VerificationSpec;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.MetricsActivities;
import org.releaseengine.stage.StageOptions;
import org.releaseengine.stage.TrafficActivities;

/**
 * Runs a deploy's metric checks side by side, each on its own durable timer, and keeps every
 * measurement (time, value, verdict) for the release's status. The first check that passes its
 * failure limit ends the analysis at once.
 */
public final class MetricAnalysis {

  private final MetricsActivities metrics =
      Workflow.newActivityStub(MetricsActivities.class, StageOptions.quick());
  private final TrafficActivities trafficSender =
      Workflow.newActivityStub(TrafficActivities.class, StageOptions.traffic());
  private final List<Measurement> measurements = new ArrayList<>();
  private TrafficCount traffic;
  private final Runnable onChange;

  public MetricAnalysis(Runnable onChange) {
    this.onChange = onChange;
  }

  /** Null when every check passed; otherwise why the first failing check failed. */
  public String run(VerificationSpec spec, String slot) {
    return run(spec, slot, null);
  }

  /**
   * As {@link #run(VerificationSpec, String)}, sending the verification's traffic (if any) through
   * {@code url} meanwhile; the analysis ends when both the checks and the traffic have.
   */
  public String run(VerificationSpec spec, String slot, String url) {
    List<Promise<String>> checks = new ArrayList<>();
    List<Promise<TrafficCount>> load = new ArrayList<>();
    boolean sendTraffic =
        spec.traffic() != null
            && url != null
            && WorkflowChanges.applies(WorkflowChanges.VERIFICATION_TRAFFIC);
    CancellationScope scope =
        Workflow.newCancellationScope(
            () -> {
              if (sendTraffic) {
                load.add(
                    Async.function(
                        trafficSender::sendTraffic,
                        new TrafficActivities.TrafficRequest(url, spec.traffic())));
              }
              for (MetricCheck check : spec.checks()) {
                checks.add(Async.function(() -> runCheck(spec.prometheus(), check, slot)));
              }
            });
    scope.run();
    Workflow.await(
        () ->
            (checks.stream().allMatch(Promise::isCompleted)
                    && load.stream().allMatch(Promise::isCompleted))
                || firstFailure(checks) != null);
    if (!load.isEmpty() && load.get(0).isCompleted()) {
      RuntimeException failed = load.get(0).getFailure();
      traffic =
          failed == null ? load.get(0).get() : new TrafficCount(0, 0, Failures.describe(failed));
      onChange.run();
    }
    String failure = firstFailure(checks);
    if (failure == null) {
      failure = brokenCheck(spec.checks(), checks);
    }
    if (failure != null) {
      scope.cancel("analysis failed");
    }
    return failure;
  }

  /**
   * What became of the measurements, for the stage's summary: never "within limits" of a
   * measurement that had no data or an error.
   */
  public String summary() {
    long withData = measurements.stream().filter(m -> m.value() != null).count();
    long errors =
        measurements.stream().filter(m -> m.verdict() == Measurement.Verdict.ERROR).count();
    int all = measurements.size();
    String counted =
        withData == all
            ? all + " measurements within limits"
            : withData == 0
                ? all + " measurements, none with data"
                : all + " measurements, " + withData + " with data and within limits";
    return counted
        + (errors == 0 ? "" : " (" + errors + " failed to query)")
        + (traffic == null ? "" : "; " + traffic.describe());
  }

  /** What the last analysis's traffic did (null: it sent none, or has not ended). */
  public TrafficCount traffic() {
    return traffic;
  }

  public List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  private String runCheck(String prometheus, MetricCheck check, String slot) {
    String query = check.query().replace("$slot", slot);
    int failures = 0;
    int errorsInARow = 0;
    int answered = 0;
    String lastError = null;
    for (int i = 0; i < check.count(); i++) {
      Workflow.sleep(check.interval());
      Double value;
      try {
        value = metrics.measure(prometheus, query);
      } catch (ActivityFailure failed) {
        if (failed.getCause() instanceof CanceledFailure cancelled) {
          // the analysis was cancelled: nothing was measured. No getVersion here: a replay delivers
          // the cancel before the commands that followed it, so its marker would move.
          throw cancelled;
        }
        if (!WorkflowChanges.applies(WorkflowChanges.ANALYSIS_ERRORS)) {
          value = null; // this run started before errors were told apart from no data
        } else {
          lastError = Failures.describe(failed);
          record(check, null, Measurement.Verdict.ERROR);
          if (rejected(failed)) {
            return check.name() + ": " + lastError;
          }
          if (++errorsInARow > check.errorLimit()) {
            return check.name()
                + ": "
                + errorsInARow
                + " consecutive errors, more than the limit of "
                + check.errorLimit()
                + "; last: "
                + lastError;
          }
          continue;
        }
      }
      errorsInARow = 0;
      answered++;
      Measurement.Verdict verdict = verdict(check, value);
      record(check, value, verdict);
      if (counts(check, verdict) && ++failures > check.failureLimit()) {
        return check.name()
            + ": "
            + failures
            + " failed measurement(s), more than the limit of "
            + check.failureLimit()
            + "; last "
            + (value == null ? "no data" : value)
            + " (expected "
            + range(check)
            + ")";
      }
    }
    if (answered == 0 && lastError != null) {
      // every query failed: a check that was never measured has not passed
      return check.name() + ": no measurement was answered; last error: " + lastError;
    }
    return null;
  }

  private void record(MetricCheck check, Double value, Measurement.Verdict verdict) {
    measurements.add(new Measurement(check.name(), Workflow.currentTimeMillis(), value, verdict));
    onChange.run();
  }

  /** Prometheus refused the query itself: asking again cannot help. */
  private static boolean rejected(ActivityFailure failed) {
    return failed.getCause() instanceof ApplicationFailure app
        && (app.isNonRetryable() || FailureTypes.BAD_INPUT.equals(app.getType()));
  }

  /** A check whose code failed (not its measurements) fails the analysis: it never passed. */
  private static String brokenCheck(List<MetricCheck> specs, List<Promise<String>> checks) {
    for (int i = 0; i < checks.size(); i++) {
      RuntimeException broken = checks.get(i).getFailure();
      if (broken != null && WorkflowChanges.applies(WorkflowChanges.BROKEN_CHECK_FAILS)) {
        return specs.get(i).name()
            + ": the check could not run: "
            + broken.getClass().getSimpleName()
            + (broken.getMessage() == null ? "" : " " + Failures.describe(broken));
      }
    }
    return null;
  }

  private static Measurement.Verdict verdict(MetricCheck check, Double value) {
    if (value == null) {
      return Measurement.Verdict.NO_DATA;
    }
    boolean inRange =
        (check.min() == null || value >= check.min())
            && (check.max() == null || value <= check.max());
    return inRange ? Measurement.Verdict.PASS : Measurement.Verdict.FAIL;
  }

  /** Whether a verdict counts towards the failure limit under the check's no-data policy. */
  private static boolean counts(MetricCheck check, Measurement.Verdict verdict) {
    return verdict == Measurement.Verdict.FAIL
        || (verdict == Measurement.Verdict.NO_DATA && check.noData() == MetricCheck.NoData.FAIL);
  }

  private static String range(MetricCheck check) {
    return (check.min() == null ? "" : ">= " + check.min())
        + (check.min() != null && check.max() != null ? " and " : "")
        + (check.max() == null ? "" : "<= " + check.max());
  }

  private static String firstFailure(List<Promise<String>> checks) {
    for (Promise<String> check : checks) {
      if (check.isCompleted() && check.getFailure() == null && check.get() != null) {
        return check.get();
      }
    }
    return null;
  }
}
