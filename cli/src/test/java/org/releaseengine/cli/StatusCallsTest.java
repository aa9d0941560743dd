package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.HistoryEventFilterType;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionCompletedEventAttributes;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryReverseResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.common.converter.GlobalDataConverter;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/**
 * Which calls {@code release-cli status} makes, against a stand-in Temporal frontend that records
 * them: a finished release is read from its last event alone (one event of its history read
 * backwards: no describe, and no query, so no worker replays its history), a running one's last
 * event is not a close event and it is queried; the run is described only for the Temporal UI's
 * link. A server that cannot read backwards (the SDK's test server) is asked by describe.
 */
class StatusCallsTest {

  private static final String SHA = "89abcdef0123456789abcdef0123456789abcdef";
  private static final String FINISHED = EngineNames.releaseId("calls", SHA);
  private static final String RUNNING = EngineNames.releaseId("running", SHA);
  private static final String TERMINATED = EngineNames.releaseId("terminated", SHA);

  private final List<String> calls = new CopyOnWriteArrayList<>();

  /** Whether the stand-in reads histories backwards, as a real server does. */
  private volatile boolean backwards = true;

  private Server server;
  private String savedAddress;

  @BeforeEach
  void start() throws Exception {
    server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new RecordingFrontend())
            .build()
            .start();
    savedAddress = System.getProperty("temporal.address");
    System.setProperty("temporal.address", "127.0.0.1:" + server.getPort());
  }

  @AfterEach
  void stop() throws Exception {
    if (savedAddress == null) {
      System.clearProperty("temporal.address");
    } else {
      System.setProperty("temporal.address", savedAddress);
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  @Test
  void aFinishedReleaseIsReadFromItsCloseEventAlone() {
    Run status = run("status", FINISHED);

    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().startsWith(FINISHED + "  SUCCEEDED"), status.out());
    assertEquals(List.of("last event " + FINISHED), calls);
  }

  @Test
  void aServerThatCannotReadBackwardsIsAskedByDescribe() {
    backwards = false;

    assertEquals(0, run("status", FINISHED).code());
    assertEquals(0, run("status", RUNNING).code());
    Run unknown = run("status", EngineNames.releaseId("unknown", SHA));

    assertEquals(CliException.BAD_INPUT, unknown.code());
    assertEquals(
        List.of(
            "describe " + FINISHED,
            "close event " + FINISHED,
            "describe " + RUNNING,
            "query status " + RUNNING,
            "describe " + EngineNames.releaseId("unknown", SHA)),
        calls);
  }

  @Test
  void theUiLinkDescribesTheRun() {
    System.setProperty("temporal.ui.address", "127.0.0.1:8233");
    try {
      Run status = run("status", FINISHED);

      assertEquals(0, status.code(), status.err());
      assertTrue(
          status
              .out()
              .contains(
                  "Temporal UI: http://127.0.0.1:8233/namespaces/default/workflows/release%2Fcalls%2F"
                      + SHA
                      + "/run-1/history"),
          status.out());
      assertEquals(List.of("last event " + FINISHED, "describe " + FINISHED), calls);
    } finally {
      System.clearProperty("temporal.ui.address");
    }
  }

  @Test
  void aRunningReleaseEndsInAnotherEventAndIsQueried() {
    Run status = run("status", RUNNING);

    assertEquals(0, status.code(), status.err());
    assertTrue(status.out().startsWith(RUNNING + "  AWAITING_APPROVAL"), status.out());
    assertEquals(List.of("last event " + RUNNING, "query status " + RUNNING), calls);
  }

  @Test
  void aReleaseThatEndedWithoutAResultSaysHow() {
    Run status = run("status", TERMINATED);

    assertEquals(1, status.code());
    assertEquals(
        "release-cli: " + TERMINATED + " ended without a result: terminated", status.err().strip());
    assertEquals(List.of("last event " + TERMINATED), calls);
  }

  @Test
  void anUnknownFullIdIsBadInputAfterOneCall() {
    String unknown = EngineNames.releaseId("unknown", SHA);

    Run status = run("status", unknown);

    assertEquals(CliException.BAD_INPUT, status.code());
    assertEquals("release-cli: unknown release: " + unknown, status.err().strip());
    assertEquals(List.of("last event " + unknown), calls);
  }

  @Test
  void aCommandLineEndsTheEventLoopItOpened() throws InterruptedException {
    assertEquals(0, run("status", FINISHED).code());
    // a thread left in its poll (a native call) would hold up the JVM's exit by 300 ms
    List<Thread> loops =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.getName().startsWith("release-cli-grpc"))
            .toList();
    for (Thread loop : loops) {
      loop.join(1000); // it is leaving its run loop
    }
    assertEquals(List.of(), loops.stream().filter(Thread::isAlive).map(Thread::getName).toList());
  }

  @Test
  void aCommandLineThatDoesNotParseSaysSoThoughItsConnectionFails() {
    System.setProperty("temporal.address", "127.0.0.1:1"); // nothing listens there

    Run status = run("status", FINISHED, "--no-such-option");

    assertEquals(CliException.BAD_INPUT, status.code());
    assertTrue(status.err().startsWith("release-cli: Unknown option"), status.err());
  }

  @Test
  void aConnectionOpenedWhileTheCommandLineIsParsedFailsAsTheCommandsOwnWould() {
    System.setProperty("temporal.address", "127.0.0.1:1");

    Run status = run("status", FINISHED);

    assertEquals(CliException.UNREACHABLE, status.code());
    assertTrue(
        status.err().startsWith("release-cli: cannot reach Temporal at 127.0.0.1:1 ("),
        status.err());
  }

  @Test
  void statusIdAnswersAsThroughPicocli() {
    for (String id :
        List.of(
            FINISHED, RUNNING, TERMINATED, EngineNames.releaseId("unknown", SHA), "not an id!")) {
      calls.clear();
      Run plain = run("status", id);
      List<String> plainCalls = List.copyOf(calls);
      calls.clear();
      Run parsed = run("status", "--output", "text", id);

      assertEquals(parsed, plain, id);
      assertEquals(calls, plainCalls, id);
    }
  }

  /** The exit code, output and error output of one command line. */
  private record Run(int code, String out, String err) {}

  private static Run run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = ReleaseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
    return new Run(code, out.toString(), err.toString());
  }

  @Test
  void theWarmUpBesideACommandCallsNothing() {
    ClientWarmup.run();

    assertEquals(List.of(), calls);
  }

  /** Answers like a server with one finished and one running release, and records each call. */
  private final class RecordingFrontend extends WorkflowServiceGrpc.WorkflowServiceImplBase {

    @Override
    public void getSystemInfo(
        GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
      response.onNext(GetSystemInfoResponse.newBuilder().setServerVersion("1.29.1").build());
      response.onCompleted();
    }

    @Override
    public void describeWorkflowExecution(
        DescribeWorkflowExecutionRequest request,
        StreamObserver<DescribeWorkflowExecutionResponse> response) {
      String id = request.getExecution().getWorkflowId();
      calls.add("describe " + id);
      if (!id.equals(FINISHED) && !id.equals(RUNNING)) {
        response.onError(
            io.grpc.Status.NOT_FOUND.withDescription("no such workflow").asException());
        return;
      }
      response.onNext(
          DescribeWorkflowExecutionResponse.newBuilder()
              .setWorkflowExecutionInfo(
                  WorkflowExecutionInfo.newBuilder()
                      .setExecution(
                          WorkflowExecution.newBuilder().setWorkflowId(id).setRunId("run-1"))
                      .setType(WorkflowType.newBuilder().setName("ReleaseWorkflow"))
                      .setStatus(
                          id.equals(FINISHED)
                              ? WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
                              : WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING))
              .build());
      response.onCompleted();
    }

    @Override
    public void getWorkflowExecutionHistoryReverse(
        GetWorkflowExecutionHistoryReverseRequest request,
        StreamObserver<GetWorkflowExecutionHistoryReverseResponse> response) {
      if (!backwards) {
        super.getWorkflowExecutionHistoryReverse(request, response); // UNIMPLEMENTED
        return;
      }
      String id = request.getExecution().getWorkflowId();
      calls.add("last event " + id);
      History history = history(id);
      if (history == null) {
        response.onError(
            io.grpc.Status.NOT_FOUND.withDescription("no such workflow").asException());
        return;
      }
      response.onNext(
          GetWorkflowExecutionHistoryReverseResponse.newBuilder().setHistory(history).build());
      response.onCompleted();
    }

    @Override
    public void getWorkflowExecutionHistory(
        GetWorkflowExecutionHistoryRequest request,
        StreamObserver<GetWorkflowExecutionHistoryResponse> response) {
      String id = request.getExecution().getWorkflowId();
      boolean closeEvent =
          request.getHistoryEventFilterType()
              == HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT;
      calls.add((closeEvent ? "close event " : "history ") + id);
      History history = history(id);
      if (history == null || id.equals(RUNNING)) {
        // a real server holds a running release's close-event read open until it closes
        response.onError(
            io.grpc.Status.FAILED_PRECONDITION.withDescription("not expected").asException());
        return;
      }
      response.onNext(GetWorkflowExecutionHistoryResponse.newBuilder().setHistory(history).build());
      response.onCompleted();
    }

    /** The release's history, newest event first, one event long; null when there is none. */
    private History history(String id) {
      History.Builder history = History.newBuilder();
      if (id.equals(FINISHED)) {
        history.addEvents(
            HistoryEvent.newBuilder()
                .setEventId(42)
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
                .setWorkflowExecutionCompletedEventAttributes(
                    WorkflowExecutionCompletedEventAttributes.newBuilder()
                        .setResult(payloads(status(id, ReleaseState.SUCCEEDED)))));
      } else if (id.equals(TERMINATED)) {
        history.addEvents(
            HistoryEvent.newBuilder()
                .setEventId(9)
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_TERMINATED));
      } else if (id.equals(RUNNING)) {
        history.addEvents(
            HistoryEvent.newBuilder()
                .setEventId(7)
                .setEventType(EventType.EVENT_TYPE_WORKFLOW_TASK_COMPLETED));
      } else {
        return null;
      }
      return history.build();
    }

    @Override
    public void queryWorkflow(
        QueryWorkflowRequest request, StreamObserver<QueryWorkflowResponse> response) {
      String id = request.getExecution().getWorkflowId();
      calls.add("query " + request.getQuery().getQueryType() + " " + id);
      response.onNext(
          QueryWorkflowResponse.newBuilder()
              .setQueryResult(payloads(status(id, ReleaseState.AWAITING_APPROVAL)))
              .build());
      response.onCompleted();
    }
  }

  private static ReleaseStatus status(String id, ReleaseState state) {
    return ReleaseStatus.builder(id)
        .state(state)
        .stages(
            Stage.BUILD,
            List.of(new StageStatus(Stage.BUILD, StageState.SUCCEEDED, 1000, 2000, "built")))
        .decisions(List.of(), List.of(), 0)
        .times(1000, 0)
        .build();
  }

  private static Payloads payloads(Object value) {
    return GlobalDataConverter.get().toPayloads(value).orElseThrow();
  }
}
