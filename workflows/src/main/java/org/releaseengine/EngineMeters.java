package org.releaseengine;

import com.uber.m3.tally.Scope;
import io.temporal.workflow.Workflow;
import java.util.Map;

/**
 * The engine's own metrics, reported from workflow code through Temporal's replay-safe scope (not
 * reported while a history replays) into the worker's registry, next to the SDK's. Counters read
 * {@code <name>_total} and timers {@code <name>_seconds_*} in Prometheus's format. No commands: no
 * history changes.
 */
public final class EngineMeters {

  private EngineMeters() {}

  /** A release ended in {@code state}. */
  public static void releaseEnded(String service, String state) {
    scope(Map.of("service", service, "state", state)).counter("release_engine_releases").inc(1);
  }

  /** A release stage ended in {@code state} after {@code millis}. */
  public static void stageFinished(String service, String stage, String state, long millis) {
    scope(Map.of("service", service, "stage", stage, "state", state))
        .timer("release_engine_stage_duration")
        .record(com.uber.m3.util.Duration.ofMillis(Math.max(0, millis)));
  }

  /** A release waited {@code millis} for its approval, which ended as {@code outcome}. */
  public static void approvalWaited(String service, String outcome, long millis) {
    scope(Map.of("service", service, "outcome", outcome))
        .timer("release_engine_approval_wait")
        .record(com.uber.m3.util.Duration.ofMillis(Math.max(0, millis)));
  }

  /** An environment's deploy ended in {@code state}. */
  public static void deployFinished(String service, String environment, String state) {
    scope(Map.of("service", service, "environment", environment, "state", state))
        .counter("release_engine_deploys")
        .inc(1);
  }

  /**
   * An environment's rollback ended in {@code state}: {@code automatic} when the engine undid its
   * own deploy (a failed verification or canary), manual when someone asked.
   */
  public static void rollbackFinished(
      String service, String environment, boolean automatic, String state) {
    scope(
            Map.of(
                "service",
                service,
                "environment",
                environment,
                "trigger",
                automatic ? "automatic" : "manual",
                "state",
                state))
        .counter("release_engine_rollbacks")
        .inc(1);
  }

  private static Scope scope(Map<String, String> tags) {
    return Workflow.getMetricsScope().tagged(tags);
  }
}
