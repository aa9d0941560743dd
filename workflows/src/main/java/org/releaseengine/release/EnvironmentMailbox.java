package org.releaseengine.release;

import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.environment.DeployOutcome;
import org.releaseengine.environment.DeployProgress;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.PromoteRequest;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.TrafficCount;

/**
 * What the environments told this release (the outcome of each order, the progress of each canary)
 * and the waits for it; promote requests go out to a running canary from here.
 */
final class EnvironmentMailbox {

  private final Map<String, DeployOutcome> replies = new HashMap<>();

  /** The latest progress of each canary this release ordered. */
  private final Map<String, DeployProgress> canaries = new LinkedHashMap<>();

  /** Every measurement of each canary this release ordered (reports carry only the new ones). */
  private final Map<String, List<Measurement>> canaryMeasurements = new LinkedHashMap<>();

  /** Who asked to promote the running canary, not yet passed on to its environment. */
  private final List<String> promotions = new ArrayList<>();

  /** When an environment last spoke to this release (a reply or a canary's progress). */
  private long heardMs;

  /** Whether this run bounds its waits on other workflows (WorkflowChanges.BOUNDED_WAITS). */
  private boolean bounded;

  void boundWaits(boolean bounded) {
    this.bounded = bounded;
  }

  boolean boundsWaits() {
    return bounded;
  }

  void deliver(DeployOutcome outcome) {
    replies.put(outcome.orderId(), outcome);
  }

  /** Takes a canary's progress report; false for a late one, of a canary that has ended. */
  boolean progressed(DeployProgress progress) {
    if (replies.containsKey(progress.orderId())) {
      return false;
    }
    heardMs = Workflow.currentTimeMillis();
    canaries.put(progress.orderId(), progress);
    canaryMeasurements.put(
        progress.orderId(),
        progress.appendTo(canaryMeasurements.getOrDefault(progress.orderId(), List.of())));
    return true;
  }

  /** The environment's answer to {@code id}, or null before it came. */
  DeployOutcome reply(String id) {
    return replies.get(id);
  }

  /** What the load of the latest canary analysis did, or null. */
  TrafficCount canaryTraffic() {
    TrafficCount last = null;
    for (DeployProgress progress : canaries.values()) {
      last = progress.traffic() == null ? last : progress.traffic();
    }
    return last;
  }

  /** Whether order {@code orderId} ran a canary. */
  boolean hadCanary(String orderId) {
    return canaries.containsKey(orderId);
  }

  /** The order whose canary is running now, or null. */
  String runningCanary() {
    return canaries.keySet().stream()
        .filter(id -> !replies.containsKey(id))
        .findFirst()
        .orElse(null);
  }

  /** Queues a promote of the running canary, passed on by {@link #awaitReply}. */
  void promote(String by) {
    promotions.add(by);
  }

  /** Every canary's measurements, in the order the canaries ran. */
  List<Measurement> canaryMeasurements() {
    List<Measurement> all = new ArrayList<>();
    canaryMeasurements.values().forEach(all::addAll);
    return all;
  }

  /** Waits for the environment's answer to {@code id}; false when the bound passed first. */
  boolean await(Duration patience, String id) {
    if (!bounded) {
      Workflow.await(() -> replies.containsKey(id));
      return true;
    }
    return Workflow.await(patience, () -> replies.containsKey(id));
  }

  /**
   * Waits for the environment's answer, passing on promote requests while its canary runs; false
   * when the environment has said nothing (no reply, no progress) for {@code patience}.
   */
  boolean awaitReply(String environmentWorkflowId, String orderId, Duration patience) {
    heardMs = Workflow.currentTimeMillis();
    while (true) {
      if (bounded) {
        long heard = heardMs;
        long left = heard + patience.toMillis() - Workflow.currentTimeMillis();
        if (left <= 0
            || !Workflow.await(
                Duration.ofMillis(left),
                () -> replies.containsKey(orderId) || !promotions.isEmpty() || heardMs != heard)) {
          if (!replies.containsKey(orderId)) {
            return false;
          }
        }
      } else {
        Workflow.await(() -> replies.containsKey(orderId) || !promotions.isEmpty());
      }
      if (replies.containsKey(orderId)) {
        return true;
      }
      if (promotions.isEmpty()) {
        continue; // a progress report: the environment is still at it
      }
      String by = promotions.remove(0);
      try {
        Workflow.newExternalWorkflowStub(EnvironmentWorkflow.class, environmentWorkflowId)
            .promote(new PromoteRequest(orderId, by));
      } catch (SignalExternalWorkflowException gone) {
        // the environment's workflow is not there to promote: its answer is what this waits for
      } catch (TemporalFailure failed) {
        // the same, as the server reports it (an ApplicationFailure)
        if (!WorkflowChanges.applies(WorkflowChanges.REPLY_TO_GONE)) {
          throw failed;
        }
      }
    }
  }
}
