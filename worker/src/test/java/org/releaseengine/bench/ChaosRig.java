package org.releaseengine.bench;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.Approval;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.policy.TestPolicies;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * The real engine as processes, for breaking it on purpose: bin/release-server, a
 * bin/release-worker that can be killed -9 and started again, and one service released to the
 * infra's staging and production hosts. Faults are triggered on the worker's step lines (markers),
 * never by hooks in the engine.
 */
public final class ChaosRig implements AutoCloseable {

  private static final Duration RELEASE_LIMIT = Duration.ofMinutes(4);

  public final String service;
  public final EnvironmentSpec staging = TestHosts.environment("staging");
  public final EnvironmentSpec production = TestHosts.environment("production");
  public final ExampleRepo repo = ExampleRepo.create();
  public final ReleaseSpec spec;
  private final String address;
  private final Process server;
  private final WorkflowClient client;
  private final List<String> workerLines = new CopyOnWriteArrayList<>();
  private final Path workerLog;

  /**
   * The workers' audit archive, the rig's own: the fresh server's environments would otherwise
   * rebuild their records from an earlier rig's (an environment restarted empty reads it back).
   */
  private final Path auditDir = Files.createTempDirectory("chaos-audit-");

  private Process worker;
  private boolean throughCli;

  public ChaosRig(String service) throws Exception {
    this.service = service;
    this.spec = BenchEngine.spec(service, repo.dir(), staging, production);
    int port = TestHosts.freePort();
    address = "127.0.0.1:" + port;
    workerLog = Files.createTempFile("chaos-worker-", ".log");
    ProcessBuilder serverProcess =
        new ProcessBuilder(
                Infra.ROOT.resolve("bin/release-server").toString(), String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(Files.createTempFile("chaos-server-", ".log").toFile());
    // a database of its own, and no Web UI (its port could be taken)
    serverProcess
        .environment()
        .put("RELEASE_SERVER_DIR", Files.createTempDirectory("chaos-server-").toString());
    serverProcess.environment().put("RELEASE_SERVER_HEADLESS", "1");
    server = serverProcess.start();
    client =
        WorkflowClient.newInstance(
            WorkflowServiceStubs.newServiceStubs(
                WorkflowServiceStubsOptions.newBuilder().setTarget(address).build()),
            WorkflowClientOptions.newBuilder().setNamespace("default").build());
    startWorker();
  }

  /** From now on, what is live is read with bin/release-cli history. */
  public void readLiveThroughCli() {
    throughCli = true;
  }

  /** The operator policy of the worker processes: this rig's service on the infra's hosts. */
  private Path policyFile() throws java.io.IOException {
    Path file = Infra.ROOT.resolve("worker/target/chaos-policy-" + spec.service() + ".yaml");
    java.nio.file.Files.writeString(
        file, TestPolicies.yaml(List.of(spec), List.of("chaos", "bench", "bench-approver")));
    return file;
  }

  /** Starts a worker process and waits until it polls. */
  public void startWorker() throws Exception {
    workerLines.clear();
    ProcessBuilder builder =
        new ProcessBuilder(Infra.ROOT.resolve("bin/release-worker").toString())
            .redirectErrorStream(true);
    builder.environment().put("TEMPORAL_ADDRESS", address);
    builder.environment().remove("SLACK_BOT_TOKEN");
    builder.environment().put("RELEASE_POLICY_FILE", policyFile().toString());
    builder.environment().put("RELEASE_AUDIT_DIR", auditDir.toString());
    worker = builder.start();
    Process started = worker;
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader in =
                  new BufferedReader(new InputStreamReader(started.getInputStream()))) {
                for (String line = in.readLine(); line != null; line = in.readLine()) {
                  workerLines.add(line);
                  Files.writeString(
                      workerLog, line + "\n", java.nio.file.StandardOpenOption.APPEND);
                }
              } catch (IOException ignored) {
                // the worker ended
              }
            });
    reader.setDaemon(true);
    reader.start();
    awaitMarker("release-worker ready", Duration.ofSeconds(120));
  }

  /** Kills the worker with SIGKILL (no shutdown hook, no goodbye to the server). */
  public void killWorker() throws InterruptedException {
    worker.destroyForcibly();
    worker.waitFor(10, TimeUnit.SECONDS);
  }

  public void killAndRestartWorker() throws Exception {
    killWorker();
    startWorker();
  }

  /** Waits until the current worker has printed a line containing {@code text}. */
  public void awaitMarker(String text, Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (workerLines.stream().noneMatch(l -> l.contains(text))) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException(
            "the worker never printed '" + text + "' (log: " + workerLog + ")");
      }
      if (!worker.isAlive()) {
        throw new IllegalStateException("the worker died (log: " + workerLog + ")");
      }
      Thread.sleep(20);
    }
  }

  /** Starts a release of {@code sha}; {@link #finish} approves it and waits for its end. */
  public ReleaseWorkflow start(String sha) {
    ReleaseWorkflow release =
        client.newWorkflowStub(
            ReleaseWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(EngineNames.releaseId(service, sha))
                .setTaskQueue(EngineNames.TASK_QUEUE)
                .build());
    WorkflowClient.start(release::run, new ReleaseRequest(spec, sha, "chaos"));
    return release;
  }

  /** Approves the release when it waits, and returns its final status (bounded). */
  public ReleaseStatus finish(ReleaseWorkflow release) throws InterruptedException {
    long deadline = System.nanoTime() + RELEASE_LIMIT.toNanos();
    boolean approved = false;
    while (System.nanoTime() < deadline) {
      ReleaseStatus status = statusOf(release);
      if (status != null && status.state().isFinal()) {
        return status;
      }
      if (!approved && status != null && status.state() == ReleaseState.AWAITING_APPROVAL) {
        release.approve(new Approval("bench-approver", null));
        approved = true;
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the release did not end within " + RELEASE_LIMIT);
  }

  private static ReleaseStatus statusOf(ReleaseWorkflow release) {
    try {
      return release.status();
    } catch (RuntimeException noWorkerYet) {
      return null; // a query needs a worker: during a restart there is none for a moment
    }
  }

  /** A new commit of the example app with these faults, released to the end. */
  public ReleaseStatus releaseNew(String faults, String what) throws InterruptedException {
    return finish(start(repo.commit(faults, what + " " + System.nanoTime())));
  }

  /**
   * What the engine says is live in {@code environment} (null before the first deploy): by
   * bin/release-cli history when the rig was told to use the CLI (bench/chaos.sh, which builds it),
   * else by the environment workflow's view query, which is what that command prints (the
   * integration tests run before the CLI's module is packaged).
   */
  public String engineLive(String environment) throws Exception {
    if (!throughCli) {
      return client
          .newWorkflowStub(
              EnvironmentWorkflow.class, EngineNames.environmentId(service, environment))
          .view()
          .liveSha();
    }
    ProcessBuilder builder =
        new ProcessBuilder(
            Infra.ROOT.resolve("bin/release-cli").toString(),
            "history",
            "--service",
            service,
            "--env",
            environment,
            "--output",
            "json");
    builder.environment().put("TEMPORAL_ADDRESS", address);
    Path errors = Files.createTempFile("chaos-cli-", ".err");
    Process cli = builder.redirectError(errors.toFile()).start();
    cli.getOutputStream().close();
    String out = new String(cli.getInputStream().readAllBytes());
    if (!cli.waitFor(60, TimeUnit.SECONDS) || cli.exitValue() != 0) {
      throw new IllegalStateException(
          "release-cli history failed: " + out + Files.readString(errors));
    }
    Files.deleteIfExists(errors);
    return new ObjectMapper().readTree(out).path("liveSha").asText(null);
  }

  /** The version an environment's nginx answers with, or why it did not answer. */
  public static String served(EnvironmentSpec environment) {
    try {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(environment.url() + "/version"))
                      .timeout(Duration.ofSeconds(5))
                      .build(),
                  HttpResponse.BodyHandlers.ofString());
      return response.statusCode() == 200
          ? response.body().trim()
          : "HTTP " + response.statusCode();
    } catch (IOException e) {
      return "unanswered: " + e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
  }

  /** Whether each environment's hosts serve what release-cli history says is live there. */
  public String inconsistency() throws Exception {
    StringBuilder problems = new StringBuilder();
    for (var env : List.of(ReleaseSpec.STAGING, ReleaseSpec.PRODUCTION)) {
      String live = engineLive(env);
      String served = served(spec.environment(env));
      if (live != null && !live.equals(served)) {
        problems.append(env).append(": engine says ").append(live).append(", hosts serve ");
        problems.append(served).append("; ");
      }
    }
    return problems.toString();
  }

  public Path infraHost(String environment) {
    return Infra.dir().resolve("hosts/" + environment);
  }

  public static String run(String... command) {
    return Infra.run(Infra.ROOT, command);
  }

  public static String readPid(Path file) {
    try {
      return Files.readString(file).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() throws InterruptedException {
    if (worker != null) {
      worker.destroyForcibly();
      worker.waitFor(10, TimeUnit.SECONDS);
    }
    server.destroy();
    if (!server.waitFor(10, TimeUnit.SECONDS)) {
      server.destroyForcibly();
    }
    TestHosts.cleanUp(service);
  }
}
