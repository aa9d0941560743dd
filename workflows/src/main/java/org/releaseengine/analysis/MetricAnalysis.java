package org.releaseengine.analysis;

import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.VerificationSpec;
import org.releaseengine.stage.MetricsActivities;
import org.releaseengine.stage.StageOptions;

/**
 * Runs a deploy's metric checks side by side, each on its own durable timer, and keeps every
 * measurement (time, value, verdict) for the release's status. The first check that passes its
 * failure limit ends the analysis at once.
 */
public final class MetricAnalysis {

  private final MetricsActivities metrics =
      Workflow.newActivityStub(MetricsActivities.class, StageOptions.quick());
  private final List<Measurement> measurements = new ArrayList<>();
  private final Runnable onChange;

  public MetricAnalysis(Runnable onChange) {
    this.onChange = onChange;
  }

  /** Null when every check passed; otherwise why the first failing check failed. */
  public String run(VerificationSpec spec, String slot) {
    List<Promise<String>> checks = new ArrayList<>();
    CancellationScope scope =
        Workflow.newCancellationScope(
            () -> {
              for (MetricCheck check : spec.checks()) {
                checks.add(Async.function(() -> runCheck(spec.prometheus(), check, slot)));
              }
            });
    scope.run();
    Workflow.await(
        () -> checks.stream().allMatch(Promise::isCompleted) || firstFailure(checks) != null);
    String failure = firstFailure(checks);
    if (failure != null) {
      scope.cancel("analysis failed");
    }
    return failure;
  }

  public List<Measurement> measurements() {
    return List.copyOf(measurements);
  }

  private String runCheck(String prometheus, MetricCheck check, String slot) {
    String query = check.query().replace("$slot", slot);
    int failures = 0;
    for (int i = 0; i < check.count(); i++) {
      Workflow.sleep(check.interval());
      Double value = measure(prometheus, query);
      String verdict = verdict(check, value);
      measurements.add(new Measurement(check.name(), Workflow.currentTimeMillis(), value, verdict));
      onChange.run();
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
    return null;
  }

  private Double measure(String prometheus, String query) {
    try {
      return metrics.measure(prometheus, query);
    } catch (ActivityFailure unreachable) {
      return null; // Prometheus did not answer: that is no data, judged by the check's policy
    }
  }

  private static String verdict(MetricCheck check, Double value) {
    if (value == null) {
      return Measurement.NO_DATA;
    }
    boolean inRange =
        (check.min() == null || value >= check.min())
            && (check.max() == null || value <= check.max());
    return inRange ? Measurement.PASSED : Measurement.FAILED;
  }

  /** Whether a verdict counts towards the failure limit under the check's no-data policy. */
  private static boolean counts(MetricCheck check, String verdict) {
    return Measurement.FAILED.equals(verdict)
        || (Measurement.NO_DATA.equals(verdict) && MetricCheck.FAIL.equals(check.noData()));
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
