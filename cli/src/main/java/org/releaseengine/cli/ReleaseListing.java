package org.releaseengine.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.filter.v1.WorkflowTypeFilter;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListClosedWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc.WorkflowServiceBlockingStub;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.EngineNames;
import org.releaseengine.SearchAttributesKeys;

/**
 * Lists releases. A real server answers a visibility query on the engine's search attributes (and
 * refuses it when they are not registered: that is an error, not a reason to list differently); the
 * Java test server does not implement those queries, so there the open and closed executions are
 * listed by workflow type and each one's state is read from the workflow itself.
 */
final class ReleaseListing {

  private static final String TYPE = "ReleaseWorkflow";
  private static final int MAX = 1000;

  private final WorkflowClient client;
  private final Releases releases;

  ReleaseListing(WorkflowClient client, Releases releases) {
    this.client = client;
    this.releases = releases;
  }

  List<ReleaseRow> list(String service, String state) {
    List<ReleaseRow> rows;
    try {
      rows = byVisibilityQuery(service, state);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() == Status.Code.INVALID_ARGUMENT) {
        // a real server that does not know the engine's search attributes: never guess instead
        throw new CliException(
            1,
            "Temporal refused the release query ("
                + e.getStatus().getDescription()
                + "); the engine's search attributes are registered on namespace "
                + Temporal.namespace()
                + " when a worker starts");
      }
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      // only the Java test server answers UNIMPLEMENTED: list its executions one by one
      rows = byExecutionLists(service, state);
    }
    rows.sort(Comparator.comparingLong(ReleaseRow::startedAtMs).reversed());
    return rows;
  }

  private List<ReleaseRow> byVisibilityQuery(String service, String state) {
    StringBuilder query = new StringBuilder("WorkflowType = '" + TYPE + "'");
    if (service != null) {
      query
          .append(" AND ")
          .append(SearchAttributesKeys.SERVICE.getName())
          .append(" = '")
          .append(service)
          .append("'");
    }
    if (state != null) {
      query
          .append(" AND ")
          .append(SearchAttributesKeys.STATE.getName())
          .append(" = '")
          .append(state)
          .append("'");
    }
    List<ReleaseRow> rows = new ArrayList<>();
    com.google.protobuf.ByteString token = com.google.protobuf.ByteString.EMPTY;
    do {
      ListWorkflowExecutionsResponse page =
          stub()
              .listWorkflowExecutions(
                  ListWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(Temporal.namespace())
                      .setQuery(query.toString())
                      .setNextPageToken(token)
                      .setPageSize(200)
                      .build());
      for (WorkflowExecutionInfo info : page.getExecutionsList()) {
        String stateValue = keyword(info, SearchAttributesKeys.STATE.getName());
        rows.add(row(info.getExecution(), stateValue, info.getStartTime().getSeconds() * 1000));
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty() && rows.size() < MAX);
    return rows;
  }

  private List<ReleaseRow> byExecutionLists(String service, String state) {
    Map<String, ReleaseRow> rows = new LinkedHashMap<>();
    WorkflowTypeFilter type = WorkflowTypeFilter.newBuilder().setName(TYPE).build();
    for (WorkflowExecutionInfo info :
        stub()
            .listOpenWorkflowExecutions(
                ListOpenWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(Temporal.namespace())
                    .setTypeFilter(type)
                    .setMaximumPageSize(MAX)
                    .build())
            .getExecutionsList()) {
      addIfMatches(rows, info, service, state);
    }
    for (WorkflowExecutionInfo info :
        stub()
            .listClosedWorkflowExecutions(
                ListClosedWorkflowExecutionsRequest.newBuilder()
                    .setNamespace(Temporal.namespace())
                    .setTypeFilter(type)
                    .setMaximumPageSize(MAX)
                    .build())
            .getExecutionsList()) {
      addIfMatches(rows, info, service, state);
    }
    return new ArrayList<>(rows.values());
  }

  /** Keeps only the newest run of each release id (lists return newest first). */
  private void addIfMatches(
      Map<String, ReleaseRow> rows, WorkflowExecutionInfo info, String service, String state) {
    String id = info.getExecution().getWorkflowId();
    String[] parts = id.split("/");
    // the dev server ignores the type filter, so environment workflows are told apart by their id
    if (!id.startsWith(EngineNames.RELEASE_PREFIX)
        || rows.containsKey(id)
        || parts.length != 3
        || (service != null && !service.equals(parts[1]))) {
      return;
    }
    String current = stateOf(info);
    if (state == null || state.equals(current)) {
      rows.put(id, row(info.getExecution(), current, info.getStartTime().getSeconds() * 1000));
    }
  }

  private String stateOf(WorkflowExecutionInfo info) {
    String id = info.getExecution().getWorkflowId();
    if (info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return releases.query(id).state().name();
    }
    if (info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return releases.result(id, info.getExecution().getRunId(), info.getStatus()).state().name();
    }
    return info.getStatus().name().replace("WORKFLOW_EXECUTION_STATUS_", "");
  }

  private static ReleaseRow row(WorkflowExecution execution, String state, long startedAtMs) {
    String[] parts = execution.getWorkflowId().split("/");
    return new ReleaseRow(
        execution.getWorkflowId(),
        parts.length > 1 ? parts[1] : "?",
        parts.length > 2 ? parts[2] : "?",
        state == null ? "?" : state,
        startedAtMs);
  }

  private static String keyword(WorkflowExecutionInfo info, String name) {
    var payload = info.getSearchAttributes().getIndexedFieldsMap().get(name);
    return payload == null
        ? null
        : DefaultDataConverter.STANDARD_INSTANCE.fromPayload(payload, String.class, String.class);
  }

  private WorkflowServiceBlockingStub stub() {
    return client.getWorkflowServiceStubs().blockingStub();
  }
}
