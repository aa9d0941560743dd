package org.releaseengine.interleave;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityInfo;
import io.temporal.client.ActivityCanceledException;
import io.temporal.client.ActivityCompletionException;
import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.releaseengine.StandInStages;
import org.releaseengine.model.GateResult;
import org.releaseengine.stage.HostTraffic;

/**
 * Stand-in stages whose steps that change or read the hosts (and the E2E suite) wait, parked, until
 * the scheduler lets each end, in the way it picks: done, failed, failed after switching, cancelled
 * (when the workflow asked) or never (its worker died). What they do lands on {@link ModelHosts}.
 */
final class ParkingStages extends StandInStages {

  /** How the scheduler lets a parked step end. */
  enum Outcome {
    DONE,
    FAIL,
    /** A deploy that switched every host, then lost its worker before it could say so. */
    FAIL_AFTER_SWITCH,
    CANCELLED,
    /** Its attempt is gone (timed out, worker restarted): it ends without touching anything. */
    ABANDONED
  }

  /** One parked step: which attempt of which activity, and how to let it end. */
  record Parked(
      String key, String what, String workflowId, String sha, CompletableFuture<Outcome> end) {
    String label() {
      return what + " " + sha.substring(0, 4) + " for " + workflowId;
    }
  }

  final ModelHosts hosts = new ModelHosts();
  private final Map<String, Parked> parked = new ConcurrentHashMap<>();

  /** The parked steps in a stable order (by workflow, activity and attempt). */
  List<Parked> parked() {
    List<Parked> all = new ArrayList<>(parked.values());
    all.sort(Comparator.comparing(Parked::key));
    return all;
  }

  boolean isParked(String key) {
    return parked.containsKey(key);
  }

  void end(Parked step, Outcome outcome) {
    step.end().complete(outcome);
  }

  void clear() {
    parked.values().forEach(p -> p.end().complete(Outcome.ABANDONED));
    parked.clear();
    hosts.clear();
  }

  /** The activity (every attempt of it) this call runs for. */
  private static String activity() {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    return info.getWorkflowId() + "|" + info.getActivityId();
  }

  private Outcome park(String what, String sha) {
    ActivityInfo info = Activity.getExecutionContext().getInfo();
    Parked step =
        new Parked(
            ActivityTracker.key(info), what, info.getWorkflowId(), sha, new CompletableFuture<>());
    parked.put(step.key(), step);
    try {
      while (true) {
        try {
          return step.end().get(1, TimeUnit.SECONDS);
        } catch (TimeoutException stillParked) {
          // a running step heartbeats (while an activity is pending the test server's clock runs
          // in real time); a cancel it learns of waits for the scheduler to pick how it ends
          try {
            Activity.getExecutionContext().heartbeat("parked");
          } catch (ActivityCompletionException cancelled) {
            // the scheduler sees the cancel request on the server and decides
          }
        }
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Outcome.ABANDONED;
    } catch (ExecutionException e) {
      throw new IllegalStateException(e);
    } finally {
      parked.remove(step.key());
    }
  }

  private static RuntimeException ended(Outcome outcome, String what) {
    if (outcome == Outcome.CANCELLED) {
      return new ActivityCanceledException(Activity.getExecutionContext().getInfo());
    }
    return ApplicationFailure.newNonRetryableFailure(
        what + " failed on the stand-in host (" + outcome + ")", "StandIn");
  }

  @Override
  public List<HostTraffic> inspect(SlotTarget target) {
    Outcome outcome = park("inspect", target.image().sha());
    if (outcome != Outcome.DONE) {
      throw ended(outcome, "inspect");
    }
    return target.spec().hosts().stream()
        .map(h -> new HostTraffic(h.name(), hosts.weights(target, h.name()), null))
        .toList();
  }

  @Override
  public DeployReport deploy(SlotTarget target) {
    String activity = activity();
    hosts.beginChange(target, "deploy", activity);
    try {
      Outcome outcome = park("deploy", target.image().sha());
      switch (outcome) {
        case DONE -> {
          hosts.settle(target);
          hosts.start(target);
          hosts.switchTo(target);
          return new DeployReport(List.of(), null);
        }
        case FAIL_AFTER_SWITCH -> {
          hosts.settle(target);
          hosts.start(target);
          hosts.switchTo(target);
          throw ended(outcome, "deploy");
        }
        case FAIL -> {
          hosts.start(target); // started, never healthy, never switched to
          throw ended(outcome, "deploy");
        }
        default -> throw ended(outcome, "deploy");
      }
    } finally {
      hosts.endChange(target, activity);
    }
  }

  @Override
  public void switchTo(SlotTarget target) {
    String activity = activity();
    hosts.beginChange(target, "switch", activity);
    try {
      Outcome outcome = park("switch", target.image().sha());
      if (outcome != Outcome.DONE) {
        throw ended(outcome, "switch");
      }
      hosts.switchTo(target);
    } finally {
      hosts.endChange(target, activity);
    }
  }

  @Override
  public void retire(SlotTarget target) {
    hosts.retire(target);
  }

  @Override
  public org.releaseengine.model.ConfigPrint startCanary(SlotTarget canary) {
    hosts.settle(canary);
    hosts.start(canary);
    return null;
  }

  @Override
  public void setCanaryWeight(SlotTarget canary, int percent) {
    hosts.weigh(canary, percent);
  }

  @Override
  public GateResult runSuite(E2eRequest request) {
    String environment = request.service() + "/" + environmentOf(request.baseUrl());
    hosts.beginSuite(environment, request.sha());
    try {
      Outcome outcome = park("e2e", request.sha());
      if (outcome == Outcome.CANCELLED || outcome == Outcome.ABANDONED) {
        throw ended(outcome, "e2e");
      }
      boolean pass = outcome == Outcome.DONE;
      return new GateResult(pass, pass ? "3 tests, 0 failures" : "e2e failed: 1 of 3 tests");
    } finally {
      hosts.endSuite(environment);
    }
  }

  /** The stand-in specs put staging behind port 18080 and production behind 19080. */
  private static String environmentOf(String baseUrl) {
    return baseUrl != null && baseUrl.contains("19080") ? "production" : "staging";
  }
}
