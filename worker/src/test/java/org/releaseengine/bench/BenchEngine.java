package org.releaseengine.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.releaseengine.EngineNames;
import org.releaseengine.ServerUnderTest;
import org.releaseengine.bluegreen.BlueGreenDeployer;
import org.releaseengine.bluegreen.CanaryDeployer;
import org.releaseengine.docker.DockerEngine;
import org.releaseengine.docker.ImageBuilder;
import org.releaseengine.it.Infra;
import org.releaseengine.it.TestHosts;
import org.releaseengine.metrics.MetricsActivity;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.model.Stage;
import org.releaseengine.policy.PolicyFile;
import org.releaseengine.policy.PolicyGate;
import org.releaseengine.policy.TestPolicies;
import org.releaseengine.providers.Providers;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.registry.RegistryLookup;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.slack.SlackNotifier;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.tls.ExtraCas;
import org.releaseengine.verify.HttpVerifier;
import org.releaseengine.verify.TrafficSender;
import org.releaseengine.worker.DevServer;
import org.releaseengine.worker.EngineWorker;

/** The real engine for benchmarks: a Temporal server and a worker with the real activities. */
public final class BenchEngine implements AutoCloseable {

  /** The real server when the tests run on it (ServerUnderTest), else the embedded Java one. */
  final AutoCloseable server =
      ServerUnderTest.real() ? ServerUnderTest.start() : DevServer.start(TestHosts.freePort());

  public final String address =
      server instanceof ServerUnderTest real ? real.address() : ((DevServer) server).address();
  final HostDirectory hosts = HostDirectory.load(Path.of(Infra.env("RELEASE_HOSTS_FILE")));

  /** The specs this engine released: the operator policy admits them (bench starts, approves). */
  private final Map<String, ReleaseSpec> admitted = new java.util.concurrent.ConcurrentHashMap<>();

  /**
   * The allowed_signers file the policy names once set: decisions signed by its people are taken
   * from then on (releases admitted before still take plain approvals).
   */
  public volatile Path allowedSigners;

  final EngineWorker worker;
  public final WorkflowClient client;

  public BenchEngine() {
    this(SecretStore.fromEnvironment(System.getenv()), new SlackNotifier(null, null, null));
  }

  /** With the worker's secret store and Slack notifier given (the registry's from the env). */
  public BenchEngine(SecretStore secrets, SlackNotifier slack) {
    RegistryAccess registries = RegistryAccess.fromEnvironment(System.getenv());
    worker =
        EngineWorker.start(
            address,
            "default",
            new PolicyGate(
                () ->
                    PolicyFile.parse(
                        TestPolicies.yaml(admitted.values(), List.of("bench", "bench-approver"))
                            + (allowedSigners == null
                                ? ""
                                : "allowedSigners: " + allowedSigners.toAbsolutePath() + "\n"),
                        "bench policy")),
            new ImageBuilder(new DockerEngine(Infra.dockerHost()), registries),
            new RegistryLookup(registries),
            new BlueGreenDeployer(hosts, new SshConnections(), secrets, registries),
            new CanaryDeployer(hosts, new SshConnections(), secrets, registries),
            new HttpVerifier(ExtraCas.fromEnvironment(System.getenv(), "RELEASE_PROXY_CA")),
            new TrafficSender(ExtraCas.fromEnvironment(System.getenv(), "RELEASE_PROXY_CA")),
            slack,
            new MetricsActivity(Providers.standard()::metrics),
            // an archive of its own: a fresh server's environments would otherwise rebuild
            // their records from an earlier run's (an environment restarted empty reads it back)
            new org.releaseengine.audit.AuditFile(Infra.tempDir("release-bench-audit-")));
    client = worker.client();
  }

  public static ReleaseSpec spec(
      String service, Path repo, EnvironmentSpec staging, EnvironmentSpec production) {
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    envs.put(ReleaseSpec.STAGING, staging);
    envs.put(ReleaseSpec.PRODUCTION, production);
    return new ReleaseSpec(
        service,
        new SourceSpec(repo.toString(), ".", "Dockerfile"),
        new ImageSpec(Infra.registry() + "/" + service),
        new ApprovalPolicy(List.of("bench-approver"), 1, false, Duration.ofHours(1)),
        envs,
        null,
        null,
        null);
  }

  /** Releases one sha to production, approving as soon as it waits; it must succeed. */
  public ReleaseStatus release(ReleaseSpec spec, String sha) throws InterruptedException {
    return releaseExpecting(spec, sha, ReleaseState.SUCCEEDED);
  }

  /** Releases one sha, approving as soon as it waits, and expects it to end in {@code expected}. */
  public ReleaseStatus releaseExpecting(ReleaseSpec spec, String sha, ReleaseState expected)
      throws InterruptedException {
    ReleaseStatus done =
        WorkflowStub.fromTyped(startApproved(spec, sha)).getResult(ReleaseStatus.class);
    if (done.state() != expected) {
      throw new IllegalStateException(
          "release of " + sha + " " + done.state() + ": " + done.reason());
    }
    return done;
  }

  /** Starts a release of one sha and approves it as soon as it waits (unless it ends before). */
  public ReleaseWorkflow startApproved(ReleaseSpec spec, String sha) throws InterruptedException {
    admitted.put(spec.service(), spec);
    ReleaseWorkflow release =
        client.newWorkflowStub(
            ReleaseWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(EngineNames.releaseId(spec.service(), sha))
                .setTaskQueue(EngineNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(release::run, new ReleaseRequest(spec, sha, "bench"));
    if (awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL).state()
        == ReleaseState.AWAITING_APPROVAL) {
      release.approve(new Approval("bench-approver", null));
    }
    return release;
  }

  /** Polls the release's status until it matches or the release has ended (at most 5 minutes). */
  public static ReleaseStatus awaitStatus(
      ReleaseWorkflow release, Predicate<ReleaseStatus> condition) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofMinutes(5).toNanos();
    ReleaseStatus status = release.status();
    while (!condition.test(status) && !status.state().isFinal()) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("status never matched; last: " + status);
      }
      Thread.sleep(50);
      status = release.status();
    }
    return status;
  }

  /** Waits until the release's production deploy reports this canary step. */
  public static ReleaseStatus awaitCanaryStep(ReleaseWorkflow release, String step)
      throws InterruptedException {
    ReleaseStatus status =
        awaitStatus(
            release,
            s -> {
              String summary = s.stage(Stage.DEPLOY_PRODUCTION).summary();
              return summary != null && summary.contains(step);
            });
    if (status.state().isFinal()) {
      throw new IllegalStateException(
          "the release ended before the canary reached " + step + ": " + status.reason());
    }
    return status;
  }

  @Override
  public void close() {
    worker.close();
    try {
      server.close();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
