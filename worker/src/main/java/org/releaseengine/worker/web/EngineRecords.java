package org.releaseengine.worker.web;

import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DataConverter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.releaseengine.environment.DeployProgress;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * What the dashboard reads from Temporal, read-only: the open environment and release workflows
 * (listed by visibility; told apart by their ids, as the dev server ignores type filters), their
 * queries, and a release's history for its canary's weights and the limits its checks had.
 */
final class EngineRecords {

  private static final int MAX = 1000;

  /** One workflow run as visibility lists it. */
  record Run(String workflowId, String runId, String status, long startedAtMs, long closedAtMs) {}

  /** The canary's weight as reported at one moment. */
  record WeightPoint(long atMs, int weight, String step) {}

  private final WorkflowClient client;

  EngineRecords(WorkflowClient client) {
    this.client = client;
  }

  String namespace() {
    return client.getOptions().getNamespace();
  }

  /** The running workflows whose id starts with {@code prefix}, by id. */
  List<Run> open(String prefix) {
    List<Run> runs = new ArrayList<>();
    for (WorkflowExecutionInfo info :
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .listOpenWorkflowExecutions(
                ListOpenWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace())
                    .setMaximumPageSize(MAX)
                    .build())
            .getExecutionsList()) {
      if (info.getExecution().getWorkflowId().startsWith(prefix)) {
        runs.add(run(info));
      }
    }
    runs.sort(Comparator.comparing(Run::workflowId));
    return runs;
  }

  /** The newest runs (open and closed) of workflows whose id starts with {@code prefix}. */
  List<Run> recent(String prefix, int limit) {
    Map<String, Run> runs = new LinkedHashMap<>();
    open(prefix).forEach(r -> runs.put(r.runId(), r));
    for (WorkflowExecutionInfo info :
        client
            .getWorkflowServiceStubs()
            .blockingStub()
            .listClosedWorkflowExecutions(
                ListClosedWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(namespace())
                    .setMaximumPageSize(MAX)
                    .build())
            .getExecutionsList()) {
      if (info.getExecution().getWorkflowId().startsWith(prefix)) {
        runs.putIfAbsent(info.getExecution().getRunId(), run(info));
      }
    }
    return runs.values().stream()
        .sorted(Comparator.comparingLong(Run::startedAtMs).reversed())
        .limit(limit)
        .toList();
  }

  EnvironmentView environment(String workflowId) {
    return client.newWorkflowStub(EnvironmentWorkflow.class, workflowId).view();
  }

  ReleaseStatus release(String workflowId) {
    return client.newWorkflowStub(ReleaseWorkflow.class, workflowId).status();
  }

  /** The canary weights a release's environment reported, in order, from its history. */
  List<WeightPoint> weights(String workflowId) {
    List<WeightPoint> points = new ArrayList<>();
    for (HistoryEvent event : client.fetchHistory(workflowId).getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED
          && "deployProgress"
              .equals(event.getWorkflowExecutionSignaledEventAttributes().getSignalName())) {
        DeployProgress progress =
            first(
                event.getWorkflowExecutionSignaledEventAttributes().getInput(),
                DeployProgress.class);
        if (progress != null) {
          points.add(new WeightPoint(millis(event), progress.weight(), progress.step()));
        }
      }
    }
    return points;
  }

  /**
   * The checks of the release's own spec, by name: the limits it was measured to (production's with
   * the staging/production mapping, the verified environments' with a list).
   */
  Map<String, MetricCheck> limits(String workflowId) {
    Map<String, MetricCheck> checks = new LinkedHashMap<>();
    for (HistoryEvent event : client.fetchHistory(workflowId).getEvents()) {
      if (event.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED) {
        ReleaseRequest request =
            first(
                event.getWorkflowExecutionStartedEventAttributes().getInput(),
                ReleaseRequest.class);
        ReleaseSpec spec = request == null ? null : request.spec();
        if (spec != null && spec.environments() != null) {
          // every verified environment's checks; a later one's replace an earlier one's
          for (EnvironmentStep step : spec.walk()) {
            Optional.ofNullable(spec.environment(step.name()))
                .filter(env -> step.verify())
                .map(EnvironmentSpec::verification)
                .ifPresent(v -> v.checks().forEach(c -> checks.put(c.name(), c)));
          }
        }
        break;
      }
    }
    return checks;
  }

  private <T> T first(Payloads payloads, Class<T> type) {
    DataConverter converter = client.getOptions().getDataConverter();
    return converter.fromPayloads(0, Optional.of(payloads), type, type);
  }

  private static long millis(HistoryEvent event) {
    return event.getEventTime().getSeconds() * 1000 + event.getEventTime().getNanos() / 1_000_000;
  }

  private static Run run(WorkflowExecutionInfo info) {
    return new Run(
        info.getExecution().getWorkflowId(),
        info.getExecution().getRunId(),
        info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", ""),
        info.getStartTime().getSeconds() * 1000,
        info.hasCloseTime() ? info.getCloseTime().getSeconds() * 1000 : 0);
  }
}
