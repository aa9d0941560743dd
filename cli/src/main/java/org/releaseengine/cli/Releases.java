package org.releaseengine.cli;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.client.WorkflowClient;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;

/** Finds releases by id or prefix and reads their status, running or finished. */
final class Releases {

  /** How a release is named on the command line, as the commands' help shows it. */
  static final String ID_FORMS =
      EngineNames.RELEASE_PREFIX + "<service>/<sha> or <service>/<sha-prefix>";

  private static final Pattern ID =
      Pattern.compile(
          "(?:"
              + Pattern.quote(EngineNames.RELEASE_PREFIX)
              + ")?("
              + EngineNames.NAME.pattern()
              + ")/("
              + EngineNames.SHA_PREFIX.pattern()
              + ")");

  private final WorkflowClient client;

  Releases(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Turns {@code release/<service>/<sha>} or {@code <service>/<sha-prefix>} (at least 7 hex) into
   * the workflow id of one existing release.
   */
  String resolve(String id) {
    Matcher m = parse(id);
    String workflowId = workflowId(m, id);
    if (isFull(m)) {
      described(workflowId); // it exists
    }
    return workflowId;
  }

  /**
   * The workflow id of the release {@code id} names (as {@link #resolve} takes it), without the
   * check that a full id's release exists: the caller's first call on it is that check.
   */
  String named(String id) {
    return workflowId(parse(id), id);
  }

  private static boolean isFull(Matcher m) {
    return m.group(2).length() == 40;
  }

  /** The workflow id of a full id as it is; of a prefix, the one release it matches. */
  private String workflowId(Matcher m, String id) {
    return isFull(m) ? EngineNames.releaseId(m.group(1), m.group(2)) : byPrefix(m, id);
  }

  private static Matcher parse(String id) {
    Matcher m = ID.matcher(id == null ? "" : id);
    if (!m.matches()) {
      throw CliException.badInput(
          "malformed release id '"
              + id
              + "': use <service>/<sha-prefix of at least 7 hex> or "
              + EngineNames.RELEASE_PREFIX
              + "<service>/<sha>");
    }
    return m;
  }

  /** The one release of {@code m}'s service whose sha starts with its prefix. */
  private String byPrefix(Matcher m, String id) {
    String service = m.group(1);
    String prefix = m.group(2);
    List<String> matches =
        new ReleaseListing(client, this)
            .list(service, null).stream()
                .map(ReleaseRow::releaseId)
                .filter(r -> r.startsWith(EngineNames.releaseId(service, prefix)))
                .distinct()
                .toList();
    if (matches.isEmpty()) {
      throw CliException.badInput(
          "unknown release: no release of " + service + " has a sha starting " + prefix);
    }
    if (matches.size() > 1) {
      throw CliException.badInput(
          "ambiguous release id " + id + ": matches " + String.join(", ", matches));
    }
    return matches.get(0);
  }

  Optional<DescribeWorkflowExecutionResponse> describe(String workflowId) {
    try {
      return Optional.of(
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .describeWorkflowExecution(
                  DescribeWorkflowExecutionRequest.newBuilder()
                      .setNamespace(Temporal.namespace())
                      .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                      .build()));
    } catch (RuntimeException e) {
      if (Temporal.isNotFound(e)) {
        return Optional.empty();
      }
      throw e;
    }
  }

  /**
   * The latest run's status: read from its result once it has finished, queried while it runs. The
   * read of its last event is also the check that it exists (an unknown release is bad input), and
   * a finished release costs that one call: no describe, no query.
   */
  ReleaseStatus status(String workflowId) {
    return finished(workflowId).orElseGet(() -> query(workflowId));
  }

  /**
   * The latest run's status when it has finished, from its close event (no worker needed); empty
   * while it runs. One ended otherwise than completed has no status: exit code 1 naming how.
   */
  Optional<ReleaseStatus> finished(String workflowId) {
    HistoryEvent last;
    try {
      last = lastEvent(workflowId).orElse(null);
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.UNIMPLEMENTED) {
        throw e;
      }
      return finishedAsDescribed(workflowId);
    }
    if (last == null) {
      return Optional.empty();
    }
    if (last.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED) {
      Payloads result = last.getWorkflowExecutionCompletedEventAttributes().getResult();
      return Optional.of(
          client
              .getOptions()
              .getDataConverter()
              .fromPayloads(0, Optional.of(result), ReleaseStatus.class, ReleaseStatus.class));
    }
    if (!CLOSED_WITHOUT_RESULT.contains(last.getEventType())) {
      return Optional.empty(); // any other event: it runs
    }
    throw endedWithoutResult(
        workflowId, last.getEventType().name(), "EVENT_TYPE_WORKFLOW_EXECUTION_");
  }

  /** Exit code 1: the run ended as {@code how} (an enum name: its {@code prefix}, then how). */
  private static CliException endedWithoutResult(String workflowId, String how, String prefix) {
    return new CliException(
        1, workflowId + " ended without a result: " + how.substring(prefix.length()).toLowerCase());
  }

  /**
   * The latest run's last event: one read of the history backwards, one event long, which is also
   * the check that the release exists (an unknown one is bad input). A read of the close event
   * alone will not do: the server holds that call open until a running release closes.
   */
  private Optional<HistoryEvent> lastEvent(String workflowId) {
    try {
      return client
          .getWorkflowServiceStubs()
          .blockingStub()
          .getWorkflowExecutionHistoryReverse(
              GetWorkflowExecutionHistoryReverseRequest.newBuilder()
                  .setNamespace(Temporal.namespace())
                  .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
                  .setMaximumPageSize(1)
                  .build())
          .getHistory()
          .getEventsList()
          .stream()
          .findFirst();
    } catch (StatusRuntimeException e) {
      if (Temporal.isNotFound(e)) {
        throw CliException.badInput("unknown release: " + workflowId);
      }
      throw e;
    }
  }

  /**
   * {@link #finished} on a server that cannot read backwards (the SDK's test server, {@code
   * release-worker --dev}): a describe, then a closed run's result.
   */
  private Optional<ReleaseStatus> finishedAsDescribed(String workflowId) {
    WorkflowExecutionInfo run = described(workflowId).getWorkflowExecutionInfo();
    if (run.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING) {
      return Optional.empty();
    }
    return Optional.of(result(workflowId, run.getExecution().getRunId(), run.getStatus()));
  }

  private static final Set<EventType> CLOSED_WITHOUT_RESULT =
      EnumSet.of(
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_FAILED,
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TIMED_OUT,
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CANCELED,
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED,
          EventType.EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW);

  /** The release's latest run as Temporal describes it; an unknown one is bad input. */
  DescribeWorkflowExecutionResponse described(String workflowId) {
    return describe(workflowId)
        .orElseThrow(() -> CliException.badInput("unknown release: " + workflowId));
  }

  /** The status of a release that has not ended yet; one that has is bad input for the caller. */
  ReleaseStatus running(String workflowId) {
    ReleaseStatus status = status(workflowId);
    if (status.state().isFinal()) {
      throw CliException.badInput(workflowId + " has already ended (" + status.state() + ")");
    }
    return status;
  }

  ReleaseStatus query(String workflowId) {
    return stub(workflowId).status();
  }

  /** A finished run's status, from its result (no worker needed). */
  ReleaseStatus result(String workflowId, String runId, WorkflowExecutionStatus runStatus) {
    if (runStatus == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED) {
      return client
          .newUntypedWorkflowStub(workflowId, Optional.of(runId), Optional.empty())
          .getResult(ReleaseStatus.class);
    }
    throw endedWithoutResult(workflowId, runStatus.name(), "WORKFLOW_EXECUTION_STATUS_");
  }

  /**
   * Waits (up to a minute) until the release has ended; its final status. It looks again each time
   * the release's history grows (HistoryWatch), not on a fixed interval.
   */
  ReleaseStatus awaitEnd(String workflowId) {
    long deadline = System.nanoTime() + java.util.concurrent.TimeUnit.MINUTES.toNanos(1);
    HistoryWatch changes = changes(workflowId);
    ReleaseStatus now = status(workflowId);
    while (!now.state().isFinal() && System.nanoTime() < deadline) {
      changes.awaitChange();
      now = status(workflowId);
    }
    return now;
  }

  /** Waits for the release's next events (a long poll on its history). */
  HistoryWatch changes(String workflowId) {
    return new HistoryWatch(client, workflowId);
  }

  ReleaseWorkflow stub(String workflowId) {
    return client.newWorkflowStub(ReleaseWorkflow.class, workflowId);
  }
}
