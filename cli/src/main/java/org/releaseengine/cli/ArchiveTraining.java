package org.releaseengine.cli;

import com.google.protobuf.Duration;
import com.google.protobuf.Timestamp;
import io.grpc.Server;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import io.temporal.api.common.v1.Memo;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.common.v1.SearchAttributes;
import io.temporal.api.common.v1.WorkerVersionStamp;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.common.v1.WorkflowType;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.enums.v1.TaskQueueKind;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.history.v1.History;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.history.v1.WorkflowExecutionCompletedEventAttributes;
import io.temporal.api.taskqueue.v1.TaskQueue;
import io.temporal.api.workflow.v1.RequestIdInfo;
import io.temporal.api.workflow.v1.ResetPointInfo;
import io.temporal.api.workflow.v1.ResetPoints;
import io.temporal.api.workflow.v1.WorkflowExecutionConfig;
import io.temporal.api.workflow.v1.WorkflowExecutionExtendedInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.GetSystemInfoResponse;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryRequest;
import io.temporal.api.workflowservice.v1.GetWorkflowExecutionHistoryResponse;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.QueryWorkflowRequest;
import io.temporal.api.workflowservice.v1.QueryWorkflowResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Writer;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Slot;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/**
 * The build's training run for release-cli's class data sharing archive (cli/pom.xml): runs the
 * common command lines ({@code --help}, {@code status} of a running and of a finished release,
 * {@code list}, the reading half of {@code rollback}) in-process against a stand-in Temporal
 * frontend on a loopback port, offline, so that the JVM records every class they load. Nothing of
 * it runs when release-cli itself does; every command line here may fail without harm.
 */
final class ArchiveTraining {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String RELEASE = EngineNames.releaseId("training", SHA);
  private static final String FINISHED = EngineNames.releaseId("finished", SHA);
  private static final String ENVIRONMENT = EngineNames.environmentId("training", "production");

  private ArchiveTraining() {}

  /**
   * {@code ArchiveTraining}: the training run; {@code ArchiveTraining --filter FILE}: drops from
   * the class list what the archive cannot keep. A failed training leaves a smaller archive, never
   * a failed build.
   */
  public static void main(String[] args) throws Exception {
    if (args.length == 2 && args[0].equals("--filter")) {
      filter(Path.of(args[1]));
      return;
    }
    try {
      train();
    } catch (Exception | LinkageError e) {
      System.err.println("release-cli archive training stopped early: " + e);
    }
    System.exit(0);
  }

  /**
   * picocli's classes are of Java 5's format, which the archive keeps only if nothing links them
   * while it is dumped: a lambda recorded with a picocli type in its signature would.
   */
  private static void filter(Path classList) throws IOException {
    List<String> kept =
        Files.readAllLines(classList).stream()
            .filter(line -> !(line.startsWith("@lambda-proxy") && line.contains("picocli/")))
            .toList();
    Files.write(classList, kept);
  }

  private static void train() throws Exception {
    Server server =
        NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0))
            .addService(new StandInFrontend())
            .build()
            .start();
    System.setProperty("temporal.address", "127.0.0.1:" + server.getPort());
    // -Dtraining.verbose shows what each command line printed (for changing these lines)
    PrintWriter none =
        Boolean.getBoolean("training.verbose")
            ? new PrintWriter(System.out, true)
            : new PrintWriter(Writer.nullWriter());
    List<String[]> lines =
        List.of(
            new String[] {"--help"},
            new String[] {"status", "--help"},
            new String[] {"status", RELEASE},
            new String[] {"status", FINISHED, "--output", "json"},
            new String[] {"status", "training/0123456"},
            new String[] {"list"},
            new String[] {
              "rollback",
              "--service",
              "training",
              "--env",
              "production",
              "--sha",
              SHA.substring(0, 7),
              "--key",
              "/nonexistent/release-cli-training-key"
            },
            new String[] {"status", "no such id"});
    for (String[] line : lines) {
      ReleaseCli.execute(line, none, none);
    }
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  /** Answers the calls those command lines make, with a release and an environment. */
  private static final class StandInFrontend extends WorkflowServiceGrpc.WorkflowServiceImplBase {

    @Override
    public void getSystemInfo(
        GetSystemInfoRequest request, StreamObserver<GetSystemInfoResponse> response) {
      answer(
          response,
          GetSystemInfoResponse.newBuilder()
              .setServerVersion("1.29.1")
              .setCapabilities(
                  GetSystemInfoResponse.Capabilities.newBuilder()
                      .setSdkMetadata(true)
                      .setUpsertMemo(true)
                      .setEagerWorkflowStart(true))
              .build());
    }

    @Override
    public void describeWorkflowExecution(
        DescribeWorkflowExecutionRequest request,
        StreamObserver<DescribeWorkflowExecutionResponse> response) {
      String id = request.getExecution().getWorkflowId();
      // the parts a real server's answer has (its map fields build protobuf descriptors)
      answer(
          response,
          DescribeWorkflowExecutionResponse.newBuilder()
              .setExecutionConfig(
                  WorkflowExecutionConfig.newBuilder()
                      .setTaskQueue(
                          TaskQueue.newBuilder()
                              .setName("release-engine")
                              .setKind(TaskQueueKind.TASK_QUEUE_KIND_NORMAL))
                      .setDefaultWorkflowTaskTimeout(Duration.newBuilder().setSeconds(10))
                      .setWorkflowRunTimeout(Duration.getDefaultInstance()))
              .setWorkflowExecutionInfo(info(id, id.equals(FINISHED)))
              .setWorkflowExtendedInfo(
                  WorkflowExecutionExtendedInfo.newBuilder()
                      .setOriginalStartTime(time(System.currentTimeMillis()))
                      .putRequestIdInfos(
                          "request-1",
                          RequestIdInfo.newBuilder()
                              .setEventId(1)
                              .setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_STARTED)
                              .build()))
              .build());
    }

    @Override
    public void listWorkflowExecutions(
        ListWorkflowExecutionsRequest request,
        StreamObserver<ListWorkflowExecutionsResponse> response) {
      answer(
          response,
          ListWorkflowExecutionsResponse.newBuilder().addExecutions(info(RELEASE, false)).build());
    }

    @Override
    public void queryWorkflow(
        QueryWorkflowRequest request, StreamObserver<QueryWorkflowResponse> response) {
      Object answer =
          request.getExecution().getWorkflowId().equals(ENVIRONMENT)
              ? environment()
              : status(RELEASE, ReleaseState.AWAITING_APPROVAL);
      answer(response, QueryWorkflowResponse.newBuilder().setQueryResult(payloads(answer)).build());
    }

    @Override
    public void getWorkflowExecutionHistory(
        GetWorkflowExecutionHistoryRequest request,
        StreamObserver<GetWorkflowExecutionHistoryResponse> response) {
      HistoryEvent completed =
          HistoryEvent.newBuilder()
              .setEventId(10)
              .setEventType(EventType.EVENT_TYPE_WORKFLOW_EXECUTION_COMPLETED)
              .setWorkflowExecutionCompletedEventAttributes(
                  WorkflowExecutionCompletedEventAttributes.newBuilder()
                      .setResult(payloads(status(FINISHED, ReleaseState.SUCCEEDED))))
              .build();
      answer(
          response,
          GetWorkflowExecutionHistoryResponse.newBuilder()
              .setHistory(History.newBuilder().addEvents(completed))
              .build());
    }

    private static WorkflowExecutionInfo info(String id, boolean finished) {
      long now = System.currentTimeMillis();
      WorkflowExecution execution =
          WorkflowExecution.newBuilder().setWorkflowId(id).setRunId("run-1").build();
      return WorkflowExecutionInfo.newBuilder()
          .setExecution(execution)
          .setRootExecution(execution)
          .setFirstRunId("run-1")
          .setType(WorkflowType.newBuilder().setName("ReleaseWorkflow"))
          .setTaskQueue("release-engine")
          .setStartTime(time(now - 2000))
          .setExecutionTime(time(now - 2000))
          .setCloseTime(time(now))
          .setExecutionDuration(Duration.newBuilder().setSeconds(2))
          .setHistoryLength(105)
          .setMemo(Memo.newBuilder().putFields("service", payload("training")))
          .setSearchAttributes(
              SearchAttributes.newBuilder().putIndexedFields("ReleaseService", payload("training")))
          .setAutoResetPoints(
              ResetPoints.newBuilder()
                  .addPoints(
                      ResetPointInfo.newBuilder()
                          .setRunId("run-1")
                          .setFirstWorkflowTaskCompletedId(4)
                          .setCreateTime(time(now - 2000))
                          .setResettable(true)))
          .setMostRecentWorkerVersionStamp(WorkerVersionStamp.getDefaultInstance())
          .setStatus(
              finished
                  ? WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_COMPLETED
                  : WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING)
          .build();
    }

    private static ReleaseStatus status(String id, ReleaseState state) {
      long now = System.currentTimeMillis();
      return ReleaseStatus.builder(id)
          .state(state)
          .stages(
              Stage.APPROVAL,
              List.of(
                  new StageStatus(Stage.BUILD, StageState.SUCCEEDED, now - 2000, now - 1000, "b"),
                  new StageStatus(Stage.APPROVAL, StageState.RUNNING, now - 1000, 0, "waiting")))
          .image(new ImageRef("127.0.0.1:5000/training", SHA, "sha256:" + SHA + SHA.substring(16)))
          .decisions(List.of(), List.of(), 0)
          .times(now - 2000, 0)
          .build();
    }

    private static EnvironmentView environment() {
      return new EnvironmentView(
          "training",
          "production",
          List.of(
              new EnvironmentView.ShaRecord(
                  SHA, "sha256:" + SHA, System.currentTimeMillis(), "ci", Operation.Kind.DEPLOY)),
          SHA,
          Slot.BLUE,
          null,
          List.of());
    }

    private static Payloads payloads(Object value) {
      return DefaultDataConverter.STANDARD_INSTANCE.toPayloads(value).orElseThrow();
    }

    private static Timestamp time(long epochMs) {
      return Timestamp.newBuilder().setSeconds(epochMs / 1000).build();
    }

    private static Payload payload(Object value) {
      return DefaultDataConverter.STANDARD_INSTANCE.toPayload(value).orElseThrow();
    }

    private static <T> void answer(StreamObserver<T> response, T value) {
      response.onNext(value);
      response.onCompleted();
    }
  }
}
