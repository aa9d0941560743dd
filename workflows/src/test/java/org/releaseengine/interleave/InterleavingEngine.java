package org.releaseengine.interleave;

import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.enums.v1.PendingActivityState;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.enums.v1.WorkflowTaskFailedCause;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.client.WorkflowClient;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.SearchAttributesKeys;
import org.releaseengine.StandInNotifier;
import org.releaseengine.StandInPolicy;
import org.releaseengine.admission.PolicyCheckWorkflowImpl;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.EnvironmentWorkflowImpl;
import org.releaseengine.environment.RecordLimits;
import org.releaseengine.release.ReleaseWorkflowImpl;

/**
 * Both workflows on the time-skipping test server, driven one step at a time: after each step the
 * engine waits until every workflow has done all it can (no workflow task pending, every activity
 * parked, backing off or lost with its worker), so that what happens next is what the scheduler
 * picks. Time moves only when the scheduler moves it, one timer at a time. The worker can be
 * restarted (the new one replays from history; sticky queues time out at once, as on the test
 * server they must).
 */
final class InterleavingEngine implements AutoCloseable {

  /** Small enough that environments continue as new during a schedule. */
  static final RecordLimits LIMITS =
      RecordLimits.DEFAULT.withHistoryEvents(120).withAuditEntries(4);

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final ParkingStages stages = new ParkingStages();
  final StandInNotifier notifier = new StandInNotifier();
  final StandInPolicy policy = new StandInPolicy();
  private final ActivityTracker tracker;
  private final WorkerInterceptor[] interceptors;
  private final WorkflowServiceStubs service;
  private WorkerFactory factory;

  /** Workflow task failures seen, by workflow/run/event, with what failed. */
  final Map<String, String> taskFailures = new HashMap<>();

  /** The last history read of each workflow, read again only when it grew. */
  private final Map<String, Run> histories = new java.util.concurrent.ConcurrentHashMap<>();

  /** The workflows of the schedule under way. */
  final Set<String> workflows = new LinkedHashSet<>();

  InterleavingEngine(Set<String> withheld) {
    env = TestWorkflowEnvironment.newInstance();
    tracker = new ActivityTracker(env::currentTimeMillis);
    client = env.getWorkflowClient();
    service = env.getWorkflowServiceStubs();
    for (var key : SearchAttributesKeys.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    interceptors = new WorkerInterceptor[] {tracker, new WithheldChanges(withheld)};
    env.start();
    startWorker();
  }

  private void startWorker() {
    factory =
        WorkerFactory.newInstance(
            client, WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptors).build());
    Worker worker =
        factory.newWorker(
            EngineNames.TASK_QUEUE,
            WorkerOptions.newBuilder()
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                .setDefaultDeadlockDetectionTimeout(5000)
                .build());
    worker.registerWorkflowImplementationTypes(
        ReleaseWorkflowImpl.class, PolicyCheckWorkflowImpl.class);
    worker.registerWorkflowImplementationFactory(
        EnvironmentWorkflow.class, () -> new EnvironmentWorkflowImpl(LIMITS));
    worker.registerActivitiesImplementations(
        stages, notifier, policy, new EngineTestEnvironment.Gateway(client));
    factory.start();
  }

  /** Kills the worker (its parked steps never end) and starts a new one. */
  void restartWorker() {
    factory.shutdownNow();
    factory.awaitTermination(10, TimeUnit.SECONDS);
    stages.parked().forEach(p -> stages.end(p, ParkingStages.Outcome.ABANDONED));
    startWorker();
  }

  /** A new schedule: nothing parked, fresh hosts and records of it. */
  void reset() {
    stages.clear();
    tracker.clear();
    workflows.clear();
    histories.clear();
    taskFailures.clear();
  }

  long now() {
    return env.currentTimeMillis();
  }

  /** One workflow's latest run as the server has it: its state, events and pending activities. */
  record Run(
      String workflowId,
      String runId,
      boolean open,
      List<HistoryEvent> events,
      List<PendingActivityInfo> activities) {}

  Run run(String workflowId) {
    WorkflowExecution execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId).build();
    DescribeWorkflowExecutionResponse described;
    try {
      described =
          service
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(env.getNamespace())
                      .setExecution(execution)
                      .build());
    } catch (io.grpc.StatusRuntimeException notThere) {
      return null;
    }
    WorkflowExecution exact = described.getWorkflowExecutionInfo().getExecution();
    long length = described.getWorkflowExecutionInfo().getHistoryLength();
    boolean open =
        described.getWorkflowExecutionInfo().getStatus()
            == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    Run cached = histories.get(workflowId);
    if (cached != null
        && cached.runId().equals(exact.getRunId())
        && cached.events().size() == length
        && cached.open() == open) {
      return new Run(
          workflowId,
          exact.getRunId(),
          open,
          cached.events(),
          described.getPendingActivitiesList());
    }
    List<HistoryEvent> events = history(exact);
    Run run =
        new Run(workflowId, exact.getRunId(), open, events, described.getPendingActivitiesList());
    histories.put(workflowId, run);
    return run;
  }

  /**
   * Every event of every run of the workflow, the first run's first (back along continue-as-new).
   */
  List<HistoryEvent> everyRun(String workflowId) {
    Run latest = run(workflowId);
    if (latest == null) {
      return List.of();
    }
    List<List<HistoryEvent>> runs = new ArrayList<>();
    List<HistoryEvent> events = latest.events();
    while (true) {
      runs.add(0, events);
      String before =
          events.isEmpty()
              ? ""
              : events
                  .get(0)
                  .getWorkflowExecutionStartedEventAttributes()
                  .getContinuedExecutionRunId();
      if (before.isEmpty()) {
        break;
      }
      events =
          history(
              WorkflowExecution.newBuilder().setWorkflowId(workflowId).setRunId(before).build());
    }
    return runs.stream().flatMap(List::stream).toList();
  }

  private List<HistoryEvent> history(WorkflowExecution exact) {
    List<HistoryEvent> events = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      GetWorkflowExecutionHistoryResponse page =
          service
              .blockingStub()
              .getWorkflowExecutionHistory(
                  GetWorkflowExecutionHistoryRequest.newBuilder()
                      .setNamespace(env.getNamespace())
                      .setExecution(exact)
                      .setNextPageToken(token)
                      .build());
      events.addAll(page.getHistory().getEventsList());
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return events;
  }

  private static final Set<WorkflowTaskFailedCause> NOT_A_FAILURE =
      Set.of(
          WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_UNHANDLED_COMMAND,
          WorkflowTaskFailedCause.WORKFLOW_TASK_FAILED_CAUSE_RESET_STICKY_TASK_QUEUE);

  /** Whether the run still has something to do without help; notes its task failures. */
  private boolean busy(Run run) {
    Set<Long> signalling = new LinkedHashSet<>();
    for (HistoryEvent e : run.events()) {
      if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED
          && !NOT_A_FAILURE.contains(e.getWorkflowTaskFailedEventAttributes().getCause())) {
        taskFailures.putIfAbsent(
            run.workflowId() + "/" + run.runId() + "/" + e.getEventId(),
            e.getWorkflowTaskFailedEventAttributes().getCause()
                + ": "
                + e.getWorkflowTaskFailedEventAttributes().getFailure().getMessage());
      }
      switch (e.getEventType()) {
        case EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED ->
            signalling.add(e.getEventId());
        case EVENT_TYPE_EXTERNAL_WORKFLOW_EXECUTION_SIGNALED ->
            signalling.remove(
                e.getExternalWorkflowExecutionSignaledEventAttributes().getInitiatedEventId());
        case EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_FAILED ->
            signalling.remove(
                e.getSignalExternalWorkflowExecutionFailedEventAttributes().getInitiatedEventId());
        default -> {}
      }
    }
    if (!run.open()) {
      return false;
    }
    if (!signalling.isEmpty() || run.events().isEmpty()) {
      return true;
    }
    EventType last = run.events().get(run.events().size() - 1).getEventType();
    if (last == EventType.EVENT_TYPE_WORKFLOW_TASK_SCHEDULED
        || last == EventType.EVENT_TYPE_WORKFLOW_TASK_STARTED) {
      return true;
    }
    for (PendingActivityInfo a : run.activities()) {
      String key = ActivityTracker.key(run.workflowId(), a.getActivityId(), a.getAttempt());
      if (stages.isParked(key)) {
        continue;
      }
      if (retryDue(run, a) != null) {
        continue; // backing off: only time brings the next attempt
      }
      if (a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED) {
        return true; // on its way to the worker
      }
      if (!tracker.seen.contains(key) || tracker.running.contains(key)) {
        return true; // picked up, or running
      }
      // started on a worker that is gone: its heartbeat timeout ends it, in time
    }
    return false;
  }

  /**
   * When the next attempt of an activity whose last attempt failed is due, or null when it is not
   * backing off. The test server shows such an activity as started, without the time of its next
   * attempt: that follows from when the last attempt failed and the retry policy every stage uses
   * (1 s doubling up to 20 s); a guess that has passed moves a second on.
   */
  private Long retryDue(Run run, PendingActivityInfo a) {
    if (a.getAttempt() <= 1
        || a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_CANCEL_REQUESTED) {
      return null;
    }
    if (a.getState() == PendingActivityState.PENDING_ACTIVITY_STATE_SCHEDULED
        && a.hasNextAttemptScheduleTime()) {
      return a.getNextAttemptScheduleTime().getSeconds() * 1000 + 1;
    }
    String key = ActivityTracker.key(run.workflowId(), a.getActivityId(), a.getAttempt());
    Long failed =
        tracker.failedAt.get(
            ActivityTracker.key(run.workflowId(), a.getActivityId(), a.getAttempt() - 1));
    if (tracker.seen.contains(key) || failed == null) {
      return null;
    }
    long due = failed + Math.min(1000L << Math.min(a.getAttempt() - 2, 10), 20_000L);
    return due > now() ? due : now() + 1000;
  }

  /** Whether an activity of the runs is on its way to a worker or running (the clock must wait). */
  boolean activityUnderWay(List<Run> runs) {
    for (Run run : runs) {
      for (PendingActivityInfo a : run.activities()) {
        if (retryDue(run, a) == null) {
          return true;
        }
      }
    }
    return false;
  }

  /** Waits (real time) until every workflow of the schedule has done what it can. */
  void settle() {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
    long lastEvents = -1;
    int quiet = 0;
    while (quiet < 2) { // idle twice in a row with nothing new in between
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("the workflows never settled: " + whyBusy(false));
      }
      boolean busy = false;
      long events = 0;
      for (Run run : runs()) {
        busy |= busy(run);
        events += run.events().size();
      }
      quiet = !busy && events == lastEvents ? quiet + 1 : 0;
      lastEvents = events;
      EngineTestEnvironment.sleep(1);
    }
  }

  /** The runs still busy (or every open one), each with its last event and pending activities. */
  private String whyBusy(boolean everyOpen) {
    List<String> busy = new ArrayList<>();
    for (Run run : runs()) {
      if (everyOpen ? !run.open() : !busy(run)) {
        continue;
      }
      List<String> activities = new ArrayList<>();
      for (PendingActivityInfo a : run.activities()) {
        String key = ActivityTracker.key(run.workflowId(), a.getActivityId(), a.getAttempt());
        activities.add(
            a.getActivityType().getName()
                + " "
                + a.getState()
                + " attempt "
                + a.getAttempt()
                + (stages.isParked(key) ? " parked" : "")
                + (tracker.seen.contains(key) ? " seen" : "")
                + (tracker.running.contains(key) ? " running" : ""));
      }
      List<HistoryEvent> events = run.events();
      busy.add(
          run.workflowId()
              + " after "
              + (events.isEmpty() ? "nothing" : events.get(events.size() - 1).getEventType())
              + " "
              + activities);
    }
    return String.join("; ", busy);
  }

  List<Run> runs() {
    List<Run> runs = new ArrayList<>();
    for (String id : workflows) {
      Run run = run(id);
      if (run != null) {
        runs.add(run);
      }
    }
    return runs;
  }

  /**
   * When the next thing time brings happens: a workflow's timer, an activity's next attempt, or
   * (when a worker died under a started attempt) the end of its heartbeat timeout; null: nothing.
   */
  Long nextDue(Collection<Run> runs) {
    Long next = null;
    for (Run run : runs) {
      if (!run.open()) {
        continue;
      }
      Map<Long, Long> timers = new HashMap<>();
      for (HistoryEvent e : run.events()) {
        switch (e.getEventType()) {
          case EVENT_TYPE_TIMER_STARTED -> {
            var t = e.getTimerStartedEventAttributes().getStartToFireTimeout();
            timers.put(
                e.getEventId(),
                e.getEventTime().getSeconds() * 1000
                    + e.getEventTime().getNanos() / 1_000_000
                    + t.getSeconds() * 1000
                    + t.getNanos() / 1_000_000);
          }
          case EVENT_TYPE_TIMER_FIRED ->
              timers.remove(e.getTimerFiredEventAttributes().getStartedEventId());
          case EVENT_TYPE_TIMER_CANCELED ->
              timers.remove(e.getTimerCanceledEventAttributes().getStartedEventId());
          default -> {}
        }
      }
      for (long at : timers.values()) {
        next = next == null ? at : Math.min(next, at);
      }
      for (PendingActivityInfo a : run.activities()) {
        long at;
        Long retry = retryDue(run, a);
        if (retry != null) {
          at = retry;
        } else if (!stages.isParked(
            ActivityTracker.key(run.workflowId(), a.getActivityId(), a.getAttempt()))) {
          at = now() + 31_000; // past every heartbeat timeout (10 s and 30 s)
        } else {
          continue;
        }
        next = next == null ? at : Math.min(next, at);
      }
    }
    return next;
  }

  /** Moves time to the next thing it brings (at most {@code limit} ahead), then settles. */
  boolean advance(Duration limit) {
    Long next = nextDue(runs());
    long now = now();
    long to = next == null ? now + limit.toMillis() : Math.min(next, now + limit.toMillis());
    sleepBounded(Duration.ofMillis(Math.max(1, to - now)));
    settle();
    return next != null;
  }

  /**
   * Moves the test server's clock. A step that starts and parks while it moves (a timer fired on
   * the way) holds the clock, which then runs in real time: such a step ends as done, as the
   * scheduler would let it. After a minute of real time it gives up: the engine is then of no more
   * use.
   */
  private void sleepBounded(Duration duration) {
    var sleeping = java.util.concurrent.CompletableFuture.runAsync(() -> env.sleep(duration));
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (true) {
      try {
        sleeping.get(200, TimeUnit.MILLISECONDS);
        return;
      } catch (java.util.concurrent.TimeoutException held) {
        stages.parked().forEach(p -> stages.end(p, ParkingStages.Outcome.DONE));
        if (System.nanoTime() > deadline) {
          stalled = true;
          throw new IllegalStateException(
              "the test server's clock did not move "
                  + duration
                  + " within a minute: "
                  + whyBusy(true));
        }
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** Whether a sleep gave up: the engine's clock can no longer be trusted. */
  volatile boolean stalled;

  @Override
  public void close() {
    factory.shutdownNow();
    env.close();
  }
}
