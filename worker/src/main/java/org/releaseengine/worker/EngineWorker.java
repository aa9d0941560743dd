package org.releaseengine.worker;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.EnvironmentGatewayImpl;
import org.releaseengine.environment.EnvironmentWorkflowImpl;
import org.releaseengine.release.ReleaseWorkflowImpl;

/**
 * Connects to Temporal and polls the engine's task queue with both workflows and the activities.
 */
public final class EngineWorker implements AutoCloseable {

  private final WorkflowServiceStubs service;
  private final WorkflowClient client;
  private final WorkerFactory factory;

  private EngineWorker(WorkflowServiceStubs service, WorkflowClient client, WorkerFactory factory) {
    this.service = service;
    this.client = client;
    this.factory = factory;
  }

  /**
   * Starts polling. {@code activities} are the activity implementations this process offers; the
   * environment gateway is always added, since it only talks to Temporal.
   */
  public static EngineWorker start(String address, String namespace, Object... activities) {
    return start(
        WorkflowServiceStubsOptions.newBuilder().setTarget(address).build(), namespace, activities);
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
    WorkerFactory factory = WorkerFactory.newInstance(client);
    Worker worker =
        factory.newWorker(
            EngineNames.TASK_QUEUE,
            WorkerOptions.newBuilder()
                // A killed worker must never strand a release on its sticky queue: the dev server
                // never times
                // out a dead worker's sticky queue, so workflow tasks always go to the shared
                // queue.
                .setStickyQueueScheduleToStartTimeout(Duration.ZERO)
                // Without sticky caching every workflow task is a fresh poll: more pollers keep
                // many releases
                // moving at once (bench/engine.sh: p95 overhead 3.5 s with 2 pollers, under 2 s
                // with 8).
                .setMaxConcurrentWorkflowTaskPollers(8)
                .setMaxConcurrentActivityTaskPollers(8)
                .build());
    worker.registerWorkflowImplementationTypes(
        ReleaseWorkflowImpl.class, EnvironmentWorkflowImpl.class);
    worker.registerActivitiesImplementations(new EnvironmentGatewayImpl(client));
    if (activities.length > 0) {
      worker.registerActivitiesImplementations(activities);
    }
    factory.start();
    return new EngineWorker(service, client, factory);
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
