package org.releaseengine.cli;

import com.google.protobuf.ByteString;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.client.WorkflowClient;
import java.util.concurrent.TimeUnit;

/**
 * Waits until something happens in a workflow: a long poll on its history (the server answers when
 * a new event is written, or after its long-poll interval with nothing), instead of asking for its
 * status on a fixed interval. A release's status changes only with an event (a workflow task, a
 * signal, an update), so asking again after each answer misses nothing.
 */
final class HistoryWatch {

  /** Longer than the server's own long-poll interval (20 s by default), which answers first. */
  private static final long POLL_SECONDS = 30;

  /** When the history has no more to wait for (the run has closed): a pause between looks. */
  private static final long CLOSED_PAUSE_MS = 300;

  private final WorkflowClient client;
  private final String workflowId;
  private ByteString token = ByteString.EMPTY;
  private boolean started;

  HistoryWatch(WorkflowClient client, String workflowId) {
    this.client = client;
    this.workflowId = workflowId;
  }

  /**
   * Returns once the history has events this watch has not seen (at once on the first call), or
   * after the long poll found none.
   */
  void awaitChange() {
    if (token.isEmpty() && started) {
      Progress.sleep(CLOSED_PAUSE_MS);
    }
    started = true;
    GetWorkflowExecutionHistoryRequest request =
        GetWorkflowExecutionHistoryRequest.newBuilder()
            .setNamespace(Temporal.namespace())
            .setExecution(WorkflowExecution.newBuilder().setWorkflowId(workflowId))
            .setHistoryEventFilterType(HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_ALL_EVENT)
            .setWaitNewEvent(true)
            .setSkipArchival(true)
            .setNextPageToken(token)
            .build();
    try {
      token =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .withDeadlineAfter(POLL_SECONDS, TimeUnit.SECONDS)
              .getWorkflowExecutionHistory(request)
              .getNextPageToken();
    } catch (StatusRuntimeException e) {
      if (e.getStatus().getCode() != Status.Code.DEADLINE_EXCEEDED) {
        throw e;
      }
      // nothing new within the poll: the caller looks again
    }
  }
}
