package org.releaseengine.stage;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/** Timeouts and retry policies of every activity, side by side so they can be compared. */
public final class StageOptions {

  private StageOptions() {}

  private static RetryOptions retries(int attempts) {
    return RetryOptions.newBuilder()
        .setInitialInterval(Duration.ofSeconds(1))
        .setBackoffCoefficient(2)
        .setMaximumInterval(Duration.ofSeconds(20))
        .setMaximumAttempts(attempts)
        .setDoNotRetry(FailureTypes.BAD_INPUT, FailureTypes.REFUSED)
        .build();
  }

  /** Building and pushing: long, heartbeats while docker works. */
  public static ActivityOptions build() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(30))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retries(3))
        .build();
  }

  /**
   * Scanners and E2E suites have their own command timeouts inside; this bounds the whole stage.
   */
  public static ActivityOptions gate() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(60))
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retries(2))
        .build();
  }

  /**
   * An E2E suite: a gate whose cancel waits until the suite has stopped, so that a release let go
   * of its environment (aborted, cancelled) never leaves its suite running against the next deploy.
   */
  public static ActivityOptions suite() {
    return ActivityOptions.newBuilder(gate())
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }

  /**
   * A blue-green deploy. A short heartbeat timeout lets a killed worker's deploy be retried by
   * another within seconds; cancellation waits for the activity to stop so that a rollback never
   * overlaps the deploy it cancelled.
   */
  public static ActivityOptions deploy() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(20))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .setRetryOptions(retries(3))
        .build();
  }

  /**
   * Switching traffic back and retiring a slot: quick, retried harder because they restore service.
   */
  public static ActivityOptions switchOrRetire() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(3))
        .setHeartbeatTimeout(Duration.ofSeconds(10))
        .setRetryOptions(retries(5))
        .build();
  }

  /**
   * Handing work to an environment's workflow is one call to Temporal itself: a local activity, so
   * that it costs no extra workflow task.
   */
  public static LocalActivityOptions handOff() {
    return LocalActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(retries(10))
        .build();
  }

  /** Notifications are best effort: short, retried once, never for long. */
  public static ActivityOptions notification() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setScheduleToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retries(2))
        .build();
  }

  /** Asking the worker's policy: a file read, short; retried while no worker offers it. */
  public static ActivityOptions policy() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(10))
        .setRetryOptions(retries(5))
        .build();
  }

  /** Talking to the registry's API: short. */
  public static ActivityOptions quick() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofSeconds(30))
        .setRetryOptions(retries(5))
        .build();
  }

  /**
   * A verification's traffic: as long as its longest load (5 min) and a margin, heartbeating; a
   * second attempt sends the load again, so there is one retry only.
   */
  public static ActivityOptions traffic() {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(Duration.ofMinutes(7))
        .setHeartbeatTimeout(Duration.ofSeconds(15))
        .setRetryOptions(retries(2))
        .build();
  }
}
