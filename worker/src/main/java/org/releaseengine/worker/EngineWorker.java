package org.releaseengine.worker;

import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.releaseengine.EngineNames;
import org.releaseengine.admission.PolicyCheckWorkflowImpl;
import org.releaseengine.client.TemporalConnection;
import org.releaseengine.environment.EnvironmentWorkflowImpl;
import org.releaseengine.release.ReleaseWorkflowImpl;

/**
 * Connects to Temporal and polls the engine's task queue with both workflows and the activities.
 */
public final class EngineWorker implements AutoCloseable {

  /**
   * Workflows kept in memory between their workflow tasks, each holding a thread (the SDK's default
   * is 600). A cached workflow costs about 250 KB of heap and stack; one that has left the cache is
   * replayed from its history when it next has work, a few milliseconds for a release. Most
   * releases in flight wait for an approval for hours, so 300 keeps every active one cached and a
   * worker with 1,000 in flight within the launcher's 256 MB heap (bench/engine.sh). The thread
   * limit stays at the SDK's 600: threads beyond the cached workflows' are for workflows running a
   * task and their async branches, and an idle one costs nothing.
   */
  static final int CACHED_WORKFLOWS = 300;

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory factory;
  private final String serverVersion;

  private EngineWorker(
      WorkflowServiceStubs service,
      WorkflowClient client,
      WorkerFactory factory,
      String serverVersion) {
    this.service = service;
    this.client = client;
    this.factory = factory;
    this.serverVersion = serverVersion;
  }

  /**
   * Starts polling. {@code activities} are the activity implementations this process offers; the
   * environment gateway is always added, since it only talks to Temporal.
   */
  public static EngineWorker start(String address, String namespace, Object... activities) {
    return start(TemporalConnection.plaintext(address), namespace, activities);
  }

  /** The same, over TLS and with an API key when {@code connection} says so. */
  public static EngineWorker start(
      TemporalConnection connection, String namespace, Object... activities) {
    return start(connection.stubsOptions(), namespace, activities);
  }

  /** The same, reporting the Temporal SDK's metrics into {@code metrics}. */
  public static EngineWorker start(
      TemporalConnection connection,
      String namespace,
      com.uber.m3.tally.Scope metrics,
      Object... activities) {
    return start(
        WorkflowServiceStubsOptions.newBuilder(connection.stubsOptions())
            .setMetricsScope(metrics)
            .build(),
        namespace,
        activities);
  }

  /** Runs beside an embedded server in this JVM, talking to it in-process. */
  public static EngineWorker startBeside(DevServer server, Object... activities) {
    return start(
        WorkflowServiceStubsOptions.newBuilder().setChannel(server.inProcessChannel()).build(),
        "default",
        activities);
  }

  private static EngineWorker start(
      WorkflowServiceStubsOptions target, String namespace, Object... activities) {
    WorkflowServiceStubs service =
        WorkflowServiceStubs.newConnectedServiceStubs(target, Duration.ofSeconds(10));
    SearchAttributeRegistrar.ensureRegistered(service, namespace);
    WorkflowClient client =
        WorkflowClient.newInstance(
            service, WorkflowClientOptions.newBuilder().setNamespace(namespace).build());
    WorkerFactory factory =
        WorkerFactory.newInstance(
            client,
            WorkerFactoryOptions.newBuilder().setWorkflowCacheSize(CACHED_WORKFLOWS).build());
    String serverVersion = serverVersion(service);
    WorkerOptions.Builder options =
        WorkerOptions.newBuilder()
            .setMaxConcurrentWorkflowTaskPollers(8)
            .setMaxConcurrentActivityTaskPollers(8)
            // A workflow thread that runs 1 s without yielding counts as deadlocked (the SDK's
            // default). A fresh worker's first replays load and JIT-compile its classes, which on
            // a small, busy host takes longer: that failed a query after a restart. 5 s keeps
            // it well inside the 10 s workflow task timeout.
            .setDefaultDeadlockDetectionTimeout(Duration.ofSeconds(5).toMillis());
    if (serverVersion.isEmpty()) {
      // The SDK's Java test server never times out a dead worker's sticky queue: a killed worker
      // would strand its releases there, so with it every workflow task goes to the shared queue.
      // A real server moves them back to the shared queue after a few seconds: sticky stays on.
      options.setStickyQueueScheduleToStartTimeout(Duration.ZERO);
    }
    Worker worker = factory.newWorker(EngineNames.TASK_QUEUE, options.build());
    worker.registerWorkflowImplementationTypes(
        ReleaseWorkflowImpl.class, EnvironmentWorkflowImpl.class, PolicyCheckWorkflowImpl.class);
    worker.registerActivitiesImplementations(new EnvironmentGatewayImpl(client));
    if (activities.length > 0) {
      worker.registerActivitiesImplementations(activities);
    }
    factory.start();
    return new EngineWorker(service, client, factory, serverVersion);
  }

  /** The server's version; empty for the SDK's Java test server, which reports none. */
  static String serverVersion(WorkflowServiceStubs service) {
    return service
        .blockingStub()
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance())
        .getServerVersion();
  }

  /** Which server this worker polls, for the start-up line. */
  public String server() {
    return serverVersion.isEmpty()
        ? "Java test server (in memory: releases end with it)"
        : "Temporal server " + serverVersion;
  }

  public WorkflowClient client() {
    return client;
  }

  @Override
  public void close() {
    factory.shutdown();
    factory.awaitTermination(10, java.util.concurrent.TimeUnit.SECONDS);
    service.shutdown();
  }
}
