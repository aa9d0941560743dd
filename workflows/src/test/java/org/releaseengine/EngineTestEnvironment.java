package org.releaseengine;

import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.interceptors.WorkerInterceptor;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.time.Duration;
import java.util.function.Predicate;
import org.releaseengine.admission.PolicyCheckWorkflowImpl;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.EnvironmentGateway;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.EnvironmentWorkflowImpl;
import org.releaseengine.environment.Operation;
import org.releaseengine.environment.RecordLimits;
import org.releaseengine.environment.RollbackRequest;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.release.ReleaseWorkflowImpl;

/** A time-skipping Temporal test environment running both workflows over the stand-in stages. */
public final class EngineTestEnvironment implements AutoCloseable {

  private static final Duration MAX_STEP = Duration.ofMinutes(5);

  /** Where {@link DeafEnvironment} runs: see {@link #loseEnvironment}. */
  public static final String LOST_QUEUE = "lost-environments";

  public final TestWorkflowEnvironment env;
  public final WorkflowClient client;
  public final StandInStages stages = new StandInStages();
  public final StandInNotifier notifier = new StandInNotifier();
  public final StandInPolicy policy = new StandInPolicy();

  /**
   * Interceptors let a test hold a workflow task open (so that events pile up for the next one);
   * the deadlock detector then has to allow a workflow thread to block for a few seconds.
   */
  public EngineTestEnvironment(WorkerInterceptor... interceptors) {
    this(null, RecordLimits.DEFAULT, interceptors);
  }

  /** An engine whose workflows report their metrics into {@code metrics}. */
  public static EngineTestEnvironment withMetrics(com.uber.m3.tally.Scope metrics) {
    return new EngineTestEnvironment(metrics, RecordLimits.DEFAULT);
  }

  /** An engine whose environments keep records within {@code limits} (continue as new sooner). */
  public static EngineTestEnvironment withLimits(RecordLimits limits) {
    return new EngineTestEnvironment(null, limits);
  }

  private EngineTestEnvironment(
      com.uber.m3.tally.Scope metrics, RecordLimits limits, WorkerInterceptor... interceptors) {
    TestEnvironmentOptions.Builder options =
        TestEnvironmentOptions.newBuilder()
            .setWorkerFactoryOptions(
                WorkerFactoryOptions.newBuilder().setWorkerInterceptors(interceptors).build());
    if (metrics != null) {
      options.setMetricsScope(metrics);
    }
    env = TestWorkflowEnvironment.newInstance(options.build());
    client = env.getWorkflowClient();
    for (var key : SearchAttributesKeys.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker worker =
        env.newWorker(
            EngineNames.TASK_QUEUE,
            WorkerOptions.newBuilder()
                .setDefaultDeadlockDetectionTimeout(interceptors.length == 0 ? 1000 : 20_000)
                .build());
    worker.registerWorkflowImplementationTypes(
        ReleaseWorkflowImpl.class, PolicyCheckWorkflowImpl.class);
    worker.registerWorkflowImplementationFactory(
        EnvironmentWorkflow.class, () -> new EnvironmentWorkflowImpl(limits));
    worker.registerActivitiesImplementations(stages, notifier, policy, new Gateway(client));
    env.newWorker(LOST_QUEUE).registerWorkflowImplementationTypes(DeafEnvironment.class);
    env.start();
  }

  public ReleaseWorkflow start(ReleaseRequest request) {
    ReleaseWorkflow release =
        client.newWorkflowStub(
            ReleaseWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(EngineNames.releaseId(request.spec().service(), request.sha()))
                .setTaskQueue(EngineNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(release::run, request);
    return release;
  }

  /**
   * Starts the environment's workflow as a {@link DeafEnvironment}: the releases' orders, cancels
   * and rollbacks reach it and are never answered.
   */
  public void loseEnvironment(String service, String environment) {
    EnvironmentWorkflow lost =
        client.newWorkflowStub(
            EnvironmentWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(EngineNames.environmentId(service, environment))
                .setTaskQueue(LOST_QUEUE)
                .build());
    WorkflowClient.start(
        lost::run, org.releaseengine.environment.EnvironmentState.empty(service, environment));
  }

  public ReleaseWorkflow release(String service, String sha) {
    return client.newWorkflowStub(ReleaseWorkflow.class, EngineNames.releaseId(service, sha));
  }

  /**
   * The release's final status, waited for in real time (its status query answers what run()
   * returns). Tests never wait on a workflow's result: while a client waits on one, the test server
   * may skip time, and once the release has ended nothing stops it from skipping straight to the
   * next timer it knows, which is the environment workflows' default run timeout of ten years (a
   * real server has none): they would time out, and the next release would find a fresh
   * environment.
   */
  public ReleaseStatus result(ReleaseWorkflow release) {
    return awaitStatus(release, s -> s.state().isFinal());
  }

  /**
   * The final status, advancing the test server's clock in bounded steps while the release runs
   * (approval timeouts, pauses, analysis intervals). Timers fire at their own times within a step;
   * a step never skips past work in progress, and never more than five minutes past the end.
   */
  public ReleaseStatus resultSkippingTime(ReleaseWorkflow release) {
    Duration step = Duration.ofSeconds(1);
    ReleaseStatus status = release.status();
    for (int i = 0; !status.state().isFinal(); i++) {
      if (i > 5000) {
        throw new AssertionError("the release never ended; last: " + status);
      }
      env.sleep(step);
      step = step.multipliedBy(2).compareTo(MAX_STEP) > 0 ? MAX_STEP : step.multipliedBy(2);
      status = release.status();
    }
    return status;
  }

  /** Asks for a rollback the way the CLI does: signal-with-start on the environment's workflow. */
  public void rollback(
      String service, String environment, String sha, String who, String requestId) {
    new EnvironmentRequests(client)
        .submitRollback(service, environment, new RollbackRequest(sha, who, requestId, null));
  }

  /** Waits (real time) until the environment has finished the operation with this id. */
  public Operation awaitOperation(String service, String environment, String id) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      Operation op = environment(service, environment).operation(id);
      if (op != null && op.finished()) {
        return op;
      }
      sleep(20);
    }
    throw new AssertionError("operation " + id + " never finished");
  }

  /** Polls the environment's view (real time) until it matches; the last view otherwise fails. */
  public EnvironmentView awaitEnvironment(
      String service, String environment, Predicate<EnvironmentView> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    EnvironmentView view = environment(service, environment);
    while (!condition.test(view)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the environment never matched; last: " + view);
      }
      sleep(20);
      view = environment(service, environment);
    }
    return view;
  }

  public EnvironmentView environment(String service, String environment) {
    return client
        .newWorkflowStub(EnvironmentWorkflow.class, EngineNames.environmentId(service, environment))
        .view();
  }

  /** Polls the status query (real time, so the approval timer does not skip) until it matches. */
  public ReleaseStatus awaitStatus(ReleaseWorkflow release, Predicate<ReleaseStatus> condition) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    ReleaseStatus status = release.status();
    while (!condition.test(status)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("status never matched; last: " + status);
      }
      sleep(20);
      status = release.status();
    }
    return status;
  }

  /** Waits (real time) until the release's production deploy reports this canary step. */
  public ReleaseStatus awaitCanaryStep(ReleaseWorkflow release, String step) {
    return awaitStatus(
        release, s -> String.valueOf(s.stage(Stage.DEPLOY_PRODUCTION).summary()).contains(step));
  }

  public static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    env.close();
  }

  /**
   * The worker's EnvironmentGatewayImpl, which this module cannot see (the worker depends on it):
   * like that one, it only hands the release's orders and rollbacks to EnvironmentRequests.
   */
  public static final class Gateway implements EnvironmentGateway {

    private final EnvironmentRequests requests;

    public Gateway(WorkflowClient client) {
      this.requests = new EnvironmentRequests(client);
    }

    @Override
    public void submitDeploy(DeployOrder order) {
      requests.submitDeploy(order);
    }

    @Override
    public void submitRollback(String service, String environment, RollbackRequest rollback) {
      requests.submitRollback(service, environment, rollback);
    }
  }
}
