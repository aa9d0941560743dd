package org.releaseengine.interleave;

import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.releaseengine.EngineNames;
import org.releaseengine.Specs;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.RollbackRequest;
import org.releaseengine.model.Approval;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.NotificationSpec;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.AbortRequest;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * One schedule, all of it picked by one seed: a service (blue-green or canary production, an E2E
 * suite on staging or not, one metric check of a few measurements), up to three releases of it, and
 * some thirty steps among starts, approvals, rejections, aborts, a person's rollbacks, promotions,
 * parked steps ending (done, failed, failed after switching, cancelled), time moving one timer or
 * past heartbeat timeouts, metrics turning bad or unreachable, and worker restarts. Then everything
 * is let finish and the promises are checked: {@link #violations}.
 */
final class Schedule {

  private static final String STAGING = ReleaseSpec.STAGING;
  private static final String PRODUCTION = ReleaseSpec.PRODUCTION;
  private static final int STEPS = 30;
  private static final int RELEASES = 3;

  private final InterleavingEngine engine;
  private final long seed;

  long seed() {
    return seed;
  }

  private final Random random;
  private final String service;
  private final ReleaseSpec spec;
  private final List<String> shas = new ArrayList<>();
  private final Map<Integer, ReleaseWorkflow> releases = new LinkedHashMap<>();
  private final Map<Integer, String> decisionsSent = new HashMap<>();

  /** When each release's first accepted abort was sent, in the hosts' steps. */

  /** What production's hosts served, each change in order (release index), and when. */
  private final List<Integer> wentLive = new ArrayList<>();

  /** The release a person last rolled production back to, and how many went live before it. */
  private Integer rolledBackTo;

  private int rolledBackAt;

  final List<String> violations = new ArrayList<>();
  final List<String> log = new ArrayList<>();
  long maxHistoryBytes;
  long maxBytesPerMeasurement;
  int measurements;
  int taskFailures;

  Schedule(InterleavingEngine engine, long seed, String prefix) {
    this.engine = engine;
    this.seed = seed;
    this.random = new Random(seed);
    this.service = prefix + seed;
    this.spec = spec(service, random);
    for (int i = 0; i < RELEASES; i++) {
      shas.add(String.format("%08x", (seed * 8 + i + 1) & 0xffffffffL).repeat(5));
    }
  }

  private static ReleaseSpec spec(String service, Random random) {
    int[] minutes = {1, 30, 90};
    MetricCheck check =
        new MetricCheck(
            "error-rate",
            "errors{slot=\"$slot\"}",
            null,
            0.05,
            Duration.ofMinutes(minutes[random.nextInt(minutes.length)]),
            1 + random.nextInt(4),
            0,
            MetricCheck.NoData.FAIL);
    ReleaseSpec base =
        random.nextInt(3) == 0
            ? Specs.withCanary(
                service,
                check,
                CanaryStep.setWeight(10),
                CanaryStep.pause(Duration.ofMinutes(10)),
                CanaryStep.analysis(List.of("error-rate")),
                CanaryStep.setWeight(50))
            : Specs.withVerification(service, check);
    E2eSpec suite =
        random.nextBoolean() ? new E2eSpec("e2e.sh", "e2e-results", Duration.ofMinutes(5)) : null;
    return new ReleaseSpec(
        service,
        base.source(),
        base.image(),
        base.approval(),
        base.environments(),
        null,
        suite,
        new NotificationSpec("#releases"));
  }

  private final long began = System.nanoTime();

  /** How long the schedule has run, in real time. */
  long millis() {
    return (System.nanoTime() - began) / 1_000_000;
  }

  private void note(String line) {
    log.add(millis() + " ms: " + line);
  }

  void run() {
    engine.workflows.add(EngineNames.environmentId(service, STAGING));
    engine.workflows.add(EngineNames.environmentId(service, PRODUCTION));
    engine.stages.scriptMetrics(List.of(0.0));
    engine.stages.prometheus = null;
    start(0);
    engine.settle();
    for (int step = 1; step < STEPS; step++) {
      step();
      engine.settle();
      observe();
    }
    note("drain");
    drain();
    note("check");
    check();
  }

  /**
   * One step. The test server holds its clock while an activity is pending, so time moves (and the
   * worker restarts, which would leave attempts to time out) only when none is: a step that picks
   * them meanwhile lets a parked step end instead.
   */
  private void step() {
    List<ParkingStages.Parked> parked = engine.stages.parked();
    boolean pending = engine.activityUnderWay(engine.runs());
    int roll = random.nextInt(100);
    if (roll < 14 && releases.size() < RELEASES) {
      start(releases.size());
    } else if ((roll < 40 || (roll >= 69 && pending)) && !parked.isEmpty()) {
      endParked(parked.get(random.nextInt(parked.size())));
    } else if (roll < 52) {
      decide(random.nextInt(RELEASES), "approve");
    } else if (roll < 55) {
      decide(random.nextInt(RELEASES), "reject");
    } else if (roll < 60) {
      decide(openRelease(), "abort");
    } else if (roll < 62) {
      decide(random.nextInt(RELEASES), "promote");
    } else if (roll < 65) {
      rollback(random.nextInt(RELEASES));
    } else if (roll < 69) {
      metrics();
    } else if (pending) {
      note("wait for the running activities");
    } else if (roll < 72) {
      note("restart the worker");
      engine.restartWorker();
    } else {
      note("time to the next timer");
      engine.advance(Duration.ofHours(30));
    }
  }

  /** A release still running, when there is one (an abort of an ended one changes nothing). */
  private int openRelease() {
    List<Integer> open = new ArrayList<>();
    for (int i : releases.keySet()) {
      InterleavingEngine.Run run = engine.run(EngineNames.releaseId(service, shas.get(i)));
      if (run != null && run.open()) {
        open.add(i);
      }
    }
    return open.isEmpty() ? random.nextInt(RELEASES) : open.get(random.nextInt(open.size()));
  }

  private void start(int index) {
    note("start release " + index);
    String sha = shas.get(index);
    String id = EngineNames.releaseId(service, sha);
    engine.workflows.add(id);
    ReleaseWorkflow release =
        engine.client.newWorkflowStub(
            ReleaseWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(id)
                .setTaskQueue(EngineNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(release::run, new ReleaseRequest(spec, sha, "dave"));
    releases.put(index, release);
  }

  private void decide(int index, String what) {
    ReleaseWorkflow release = releases.get(index);
    if (release == null) {
      return;
    }
    note(what + " release " + index);
    InterleavingEngine.Run run = engine.run(EngineNames.releaseId(service, shas.get(index)));
    try {
      switch (what) {
        case "approve" -> release.approve(new Approval("alice", null));
        case "reject" -> release.reject(new Approval("bob", "not today"));
        case "abort" -> release.abort(new AbortRequest("dave", "stop it"));
        default -> release.promote("alice");
      }
      if (run != null && run.open() && !what.equals("approve") && !what.equals("promote")) {
        decisionsSent.putIfAbsent(index, what);
      }
    } catch (io.temporal.client.WorkflowNotFoundException | IllegalStateException ended) {
      // the release has ended: the signal goes nowhere, as from the CLI
    } catch (io.temporal.client.WorkflowException ended) {
      // likewise
    }
  }

  private void rollback(int index) {
    if (!releases.containsKey(index)) {
      return;
    }
    note("a person rolls production back to release " + index);
    new EnvironmentRequests(engine.client)
        .submitRollback(
            service,
            PRODUCTION,
            new RollbackRequest(shas.get(index), "erin", "rb-" + seed + "-" + log.size(), null));
    rolledBackTo = index;
    rolledBackAt = wentLive.size();
  }

  private void metrics() {
    int pick = random.nextInt(4);
    if (pick == 0) {
      note("metrics turn bad");
      engine.stages.prometheus = null;
      engine.stages.scriptMetrics(List.of(0.5));
    } else if (pick == 1) {
      note("Prometheus becomes unreachable");
      engine.stages.prometheus = org.releaseengine.StandInStages.UNREACHABLE;
    } else {
      note("metrics are good");
      engine.stages.prometheus = null;
      engine.stages.scriptMetrics(List.of(0.0));
    }
  }

  private void endParked(ParkingStages.Parked step) {
    ParkingStages.Outcome outcome;
    if (cancelRequested(step)) {
      outcome =
          random.nextInt(3) == 0 ? ParkingStages.Outcome.DONE : ParkingStages.Outcome.CANCELLED;
    } else {
      int roll = random.nextInt(100);
      outcome =
          roll < 80
              ? ParkingStages.Outcome.DONE
              : roll < 94 || !step.what().equals("deploy")
                  ? ParkingStages.Outcome.FAIL
                  : ParkingStages.Outcome.FAIL_AFTER_SWITCH;
    }
    note(step.label() + ": " + outcome);
    engine.stages.end(step, outcome);
  }

  private boolean cancelRequested(ParkingStages.Parked step) {
    InterleavingEngine.Run run = engine.run(step.workflowId());
    return run != null
        && run.activities().stream()
            .anyMatch(
                a ->
                    a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED
                        && step.key()
                            .equals(
                                ActivityTracker.key(
                                    step.workflowId(), a.getActivityId(), a.getAttempt())));
  }

  /** Notes a change of what production serves. */
  private void observe() {
    String served = served(PRODUCTION);
    int index = shas.indexOf(served);
    if (index >= 0 && (wentLive.isEmpty() || wentLive.get(wentLive.size() - 1) != index)) {
      wentLive.add(index);
    }
  }

  /** The sha every host of the environment serves, or null (split, nothing, or disagreeing). */
  private String served(String environment) {
    String sha = null;
    for (var h : spec.environment(environment).hosts()) {
      String s = engine.stages.hosts.host(service, environment, h.name()).served();
      if (s == null || (sha != null && !sha.equals(s))) {
        return null;
      }
      sha = s;
    }
    return sha;
  }

  /** Lets everything finish: parked steps end, open releases are approved, time moves. */
  private void drain() {
    for (int round = 0; round < 400; round++) {
      List<ParkingStages.Parked> parked = engine.stages.parked();
      if (!parked.isEmpty()) {
        for (ParkingStages.Parked p : parked) {
          engine.stages.end(
              p, cancelRequested(p) ? ParkingStages.Outcome.CANCELLED : ParkingStages.Outcome.DONE);
        }
        engine.settle();
        observe();
        continue;
      }
      boolean open = false;
      for (int i : releases.keySet()) {
        InterleavingEngine.Run run = engine.run(EngineNames.releaseId(service, shas.get(i)));
        if (run != null && run.open()) {
          open = true;
          try {
            releases.get(i).approve(new Approval("alice", null));
          } catch (RuntimeException ended) {
            // ended meanwhile
          }
        }
      }
      if (!open) {
        return;
      }
      engine.settle();
      if (!engine.activityUnderWay(engine.runs())) {
        engine.advance(Duration.ofHours(30));
      }
      observe();
    }
  }

  private void check() {
    engine.taskFailures.forEach(
        (where, what) -> violations.add("workflow task failed: " + where + " " + what));
    violations.addAll(engine.stages.hosts.violations);
    Map<Integer, ReleaseStatus> ended = new HashMap<>();
    for (int i : releases.keySet()) {
      String id = EngineNames.releaseId(service, shas.get(i));
      InterleavingEngine.Run run = engine.run(id);
      if (run == null || run.open()) {
        violations.add(id + " never ended: nothing was left to wake it");
        continue;
      }
      ReleaseStatus status = releases.get(i).status();
      ended.put(i, status);
      history(run);
      String sent = decisionsSent.get(i);
      if (sent != null && !status.toString().toLowerCase().contains(sent.substring(0, 5))) {
        violations.add(id + ": the " + sent + " it accepted left no trace: " + status.state());
      }
    }
    for (String environment : List.of(STAGING, PRODUCTION)) {
      // a release's deploy is never scheduled once the environment took its order's cancel (one
      // scheduled before is the abort's race: the cancel then ends it)
      for (String sha :
          CancelledOrders.deployedAfterCancel(
              engine.everyRun(EngineNames.environmentId(service, environment)))) {
        violations.add(
            "release "
                + shas.indexOf(sha)
                + "'s deploy to "
                + environment
                + " began after its abort (the environment had taken the order's cancel)");
      }
      String served = served(environment);
      EnvironmentView view = view(environment);
      String live = view == null ? null : view.liveSha();
      // a host the environment could not switch back is reported unknown (README: not guaranteed)
      boolean reported =
          view != null
              && view.hosts() != null
              && view.hosts().values().stream().anyMatch(h -> h != null && h.startsWith("unknown"));
      engine
          .stages
          .hosts
          .misled(service, environment)
          .forEach(
              (host, how) -> {
                String says = view == null || view.hosts() == null ? null : view.hosts().get(host);
                if (says == null || !says.startsWith("unknown")) {
                  violations.add(how + "; the environment says the host serves " + says);
                }
              });
      if (view != null && !reported && !java.util.Objects.equals(live, served)) {
        violations.add(environment + " says " + live + " is live; its hosts serve " + served);
      }
    }
    productionEnding(ended);
  }

  /**
   * Production ends on what a person rolled back to last, or else on a release that succeeded,
   * never older than the newest one that succeeded after going live. A release that did not succeed
   * may stay live only when no release that succeeded had been live before it (nothing good to go
   * back to), or when it said it could not be rolled back or its partial deploy undone.
   */
  private void productionEnding(Map<Integer, ReleaseStatus> ended) {
    int index = shas.indexOf(served(PRODUCTION));
    if (index < 0 || (rolledBackTo != null && rolledBackTo == index)) {
      return;
    }
    List<Integer> since =
        wentLive.subList(
            Math.min(rolledBackTo == null ? 0 : rolledBackAt, wentLive.size()), wentLive.size());
    int newestGood =
        since.stream()
            .filter(i -> succeeded(ended.get(i)))
            .mapToInt(Integer::intValue)
            .max()
            .orElse(-1);
    ReleaseStatus status = ended.get(index);
    if (!succeeded(status)
        && newestGood >= 0
        && (status == null || !String.valueOf(status.reason()).contains("could NOT"))) {
      violations.add(
          "production ends on release "
              + index
              + ", which ended "
              + (status == null ? "nowhere" : status.state() + ": " + status.reason())
              + ", though release "
              + newestGood
              + " had succeeded there");
    }
    if (index < newestGood) {
      violations.add(
          "production ends on release "
              + index
              + ", older than release "
              + newestGood
              + ", which went live there and succeeded");
    }
  }

  private static boolean succeeded(ReleaseStatus status) {
    return status != null && status.state() == ReleaseState.SUCCEEDED;
  }

  private EnvironmentView view(String environment) {
    try {
      return engine
          .client
          .newWorkflowStub(
              EnvironmentWorkflow.class, EngineNames.environmentId(service, environment))
          .view();
    } catch (RuntimeException none) {
      return null;
    }
  }

  /**
   * The history one measurement adds: the median of the bytes between one measurement and the next
   * where nothing came from outside meanwhile (a signal, update or cancel the schedule sent, and
   * the notice it brought, are that input's, not the measurement's); -1 when fewer than three gaps
   * were quiet.
   */
  private static long perMeasurement(List<HistoryEvent> events, List<Integer> at) {
    List<Long> gaps = new ArrayList<>();
    for (int k = 1; k < at.size(); k++) {
      long bytes = 0;
      boolean quiet = true;
      for (int i = at.get(k - 1); i < at.get(k); i++) {
        bytes += events.get(i).getSerializedSize();
        quiet &= !fromOutside(events.get(i));
      }
      if (quiet) {
        gaps.add(bytes);
      }
    }
    gaps.sort(null);
    return gaps.size() < 3 ? -1 : gaps.get(gaps.size() / 2);
  }

  /** A client's signal, update or cancel; a signal from another workflow is the engine's own. */
  private static boolean fromOutside(HistoryEvent e) {
    return switch (e.getEventType()) {
      case EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED ->
          !e.getWorkflowExecutionSignaledEventAttributes().hasExternalWorkflowExecution();
      case EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED,
          EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ADMITTED,
          EVENT_TYPE_WORKFLOW_EXECUTION_CANCEL_REQUESTED ->
          true;
      default -> false;
    };
  }

  /** The release's size, and the history each measurement adds between the first and the last. */
  private void history(InterleavingEngine.Run run) {
    long bytes = 0;
    List<Integer> at = new ArrayList<>();
    List<HistoryEvent> events = run.events();
    for (int i = 0; i < events.size(); i++) {
      HistoryEvent e = events.get(i);
      bytes += e.getSerializedSize();
      if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED
          && e.getActivityTaskScheduledEventAttributes()
              .getActivityType()
              .getName()
              .equals("Measure")) {
        at.add(i);
      }
    }
    maxHistoryBytes = Math.max(maxHistoryBytes, bytes);
    measurements += at.size();
    maxBytesPerMeasurement = Math.max(maxBytesPerMeasurement, perMeasurement(events, at));
  }
}
