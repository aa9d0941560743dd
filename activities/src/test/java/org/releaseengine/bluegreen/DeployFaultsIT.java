package org.releaseengine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.docker.DockerEngine;
import org.releaseengine.docker.ImageBuilder;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * Deploys that go wrong halfway on real hosts (sshd, nginx, Docker): each test breaks something for
 * real (a frozen nginx master, a slow app, a command that outlives its timeout) and checks that the
 * hosts end where the engine says they are. Every test starts from a clean service of its own.
 */
public class DeployFaultsIT {

  private static TestActivityEnvironment activities;
  private static DeployActivities deployer;
  private static HostDirectory hosts;
  private static ExampleRepo repo;
  private static BuildActivities builder;

  private String service;
  private EnvironmentSpec spec;

  @BeforeAll
  static void start() {
    activities = TestActivityEnvironment.newInstance();
    hosts = HostDirectory.load(Path.of(Infra.env("RELEASE_HOSTS_FILE")));
    activities.registerActivitiesImplementations(
        new ImageBuilder(new DockerEngine(Infra.dockerHost())),
        new BlueGreenDeployer(hosts, new SshConnections()));
    ActivityOptions once = once(Duration.ofMinutes(5));
    deployer = activities.newActivityStub(DeployActivities.class, once);
    builder = activities.newActivityStub(BuildActivities.class, once);
    repo = ExampleRepo.create();
  }

  @AfterAll
  static void stop() {
    activities.close();
  }

  @AfterEach
  void cleanUp() {
    if (service != null) {
      resume("production");
      resume("staging");
      TestHosts.cleanUp(service);
    }
  }

  private static ActivityOptions once(Duration timeout) {
    return ActivityOptions.newBuilder()
        .setStartToCloseTimeout(timeout)
        .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
        .build();
  }

  private void newService(String name) {
    service = name + (System.nanoTime() % 100000);
    spec = TestHosts.environment("production");
  }

  private ImageRef build(String faults, String message) {
    String sha = repo.commit(faults, message + " " + System.nanoTime());
    SourceSpec source = new SourceSpec(repo.dir().toString(), ".", "Dockerfile");
    return builder.buildImage(
        new BuildRequest(service, sha, source, new ImageSpec(Infra.registry() + "/" + service)));
  }

  private SlotTarget target(Slot slot, ImageRef image) {
    return new SlotTarget(service, "production", spec, slot, image);
  }

  private static String get(String url) throws IOException, InterruptedException {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode(), url);
    return response.body().trim();
  }

  private static Path nginxDir(String env) {
    return Infra.dir().resolve("hosts/" + env + "/nginx");
  }

  private String upstream(String env) throws IOException {
    Path file = nginxDir(env).resolve("upstreams/" + service + ".conf");
    return Files.exists(file) ? Files.readString(file).trim() : "";
  }

  private static String nginxMaster(String env) throws IOException {
    return Files.readString(nginxDir(env).resolve("nginx.pid")).trim();
  }

  /** Freezes a host's nginx master: its workers go on serving, but it takes no reload. */
  private static void freeze(String env) throws IOException {
    Infra.run(Infra.ROOT, "kill", "-STOP", nginxMaster(env));
  }

  private static void resume(String env) {
    try {
      Infra.run(Infra.ROOT, "kill", "-CONT", nginxMaster(env));
    } catch (IOException | IllegalStateException ignored) {
      // not frozen, or nginx is not there
    }
  }

  /** Resumes a frozen nginx master once {@code marker} holds: a fault ended by what it awaits. */
  private static Thread resumeWhen(String env, BooleanSupplier marker) {
    Thread watcher =
        new Thread(
            () -> {
              long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
              while (!marker.getAsBoolean() && System.nanoTime() < deadline) {
                sleep(50);
              }
              resume(env);
            });
    watcher.setDaemon(true);
    watcher.start();
    return watcher;
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static boolean eventually(Duration limit, BooleanSupplier condition) {
    long deadline = System.nanoTime() + limit.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return true;
      }
      sleep(100);
    }
    return condition.getAsBoolean();
  }

  private String servedVersion(EnvironmentSpec on) {
    try {
      return get(on.url() + "/version");
    } catch (Exception | AssertionError e) {
      return "unanswered: " + e.getMessage();
    }
  }

  private static ApplicationFailure failureOf(Runnable call) {
    return (ApplicationFailure) assertThrows(ActivityFailure.class, call::run).getCause();
  }

  private String port(Slot slot) {
    return "server 127.0.0.1:" + spec.slots().portOf(slot) + ";";
  }

  /**
   * Defect: a deploy whose verification through nginx failed after the switch left the host on the
   * new slot while the engine recorded the old one live. nginx's master is frozen, so the switch's
   * reload only happens once it resumes: by then the host must be back on the old slot.
   */
  @Test
  void aDeployWhoseVerificationFailsLeavesTheHostWhereItWas() throws Exception {
    newService("verifyfail");
    ImageRef v1 = build("", "v1");
    ImageRef v2 = build("", "v2");
    deployer.deploy(target(Slot.BLUE, v1));
    assertEquals(v1.sha(), servedVersion(spec));

    freeze("production");
    boolean[] sawGreen = {false};
    resumeWhen(
        "production",
        () -> {
          try {
            String now = upstream("production");
            sawGreen[0] |= now.equals(port(Slot.GREEN));
            return sawGreen[0] && now.equals(port(Slot.BLUE));
          } catch (IOException e) {
            return false;
          }
        });
    ApplicationFailure failure = failureOf(() -> deployer.deploy(target(Slot.GREEN, v2)));
    resume("production");

    assertTrue(
        failure.getOriginalMessage().contains("verify through nginx"),
        failure.getOriginalMessage());
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> v1.sha().equals(servedVersion(spec))),
        "production serves " + servedVersion(spec) + ", the engine's record says " + v1.sha());
    assertEquals(port(Slot.BLUE), upstream("production"));
  }

  /**
   * Defect: the next deploy after a disagreement replaced the slot nginx serves ({@code docker rm
   * -f} on it): an outage. The engine believes blue is live and deploys to green, but the host
   * serves green: the deploy must not touch it.
   */
  @Test
  void aDeployNeverReplacesTheSlotNginxServes() throws Exception {
    newService("serving");
    ImageRef v1 = build("", "v1");
    ImageRef v2 = build("", "v2");
    ImageRef v3 = build("", "v3");
    deployer.deploy(target(Slot.BLUE, v1));
    deployer.deploy(target(Slot.GREEN, v2)); // the host serves green; say the record missed it

    try (LoadGenerator load =
        new LoadGenerator(spec.url() + "/hello", 4, Duration.ofSeconds(60), v2.sha()).start()) {
      sleep(500);
      ApplicationFailure failure = failureOf(() -> deployer.deploy(target(Slot.GREEN, v3)));
      sleep(500);
      load.close();
      assertTrue(
          failure.getOriginalMessage().contains("serves traffic"), failure.getOriginalMessage());
      assertEquals(0, load.failed(), "failed requests, first: " + load.firstFailure());
    }
    assertEquals(v2.sha(), servedVersion(spec));
  }

  /** A deploy through a tiny workflow, so that the test server enforces the heartbeat timeout. */
  @WorkflowInterface
  public interface DeployOnce {
    @WorkflowMethod
    void deploy(SlotTarget target);
  }

  public static class DeployOnceImpl implements DeployOnce {
    private final DeployActivities deploy =
        Workflow.newActivityStub(
            DeployActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(2))
                .setHeartbeatTimeout(Duration.ofSeconds(3))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());

    @Override
    public void deploy(SlotTarget target) {
      deploy.deploy(target);
    }
  }

  /**
   * Defect: SSH steps heartbeat only between steps, so an app that takes longer than the heartbeat
   * timeout to become healthy made Temporal give up on a deploy that was still working.
   */
  @Test
  void aSlowStartHeartbeatsThroughTheHealthCheck() throws Exception {
    newService("slowstart");
    ImageRef slow = build("start_delay_s=8", "starts in 8 s");
    try (TestWorkflowEnvironment env = TestWorkflowEnvironment.newInstance()) {
      Worker worker = env.newWorker("deploy-once");
      worker.registerWorkflowImplementationTypes(DeployOnceImpl.class);
      worker.registerActivitiesImplementations(new BlueGreenDeployer(hosts, new SshConnections()));
      env.start();
      DeployOnce once =
          env.getWorkflowClient()
              .newWorkflowStub(
                  DeployOnce.class,
                  WorkflowOptions.newBuilder().setTaskQueue("deploy-once").build());
      WorkflowClient.execute(once::deploy, target(Slot.BLUE, slow)).get();
    }
    assertEquals(slow.sha(), servedVersion(spec));
  }

  /** Defect: SSH steps outlived their timeout, because output was read to the end first. */
  @Test
  void aRemoteCommandEndsAtItsTimeout() throws Exception {
    HostSpec host = TestHosts.environment("production").hosts().get(0);
    try (SshConnections ssh = new SshConnections()) {
      long start = System.nanoTime();
      IOException timedOut =
          assertThrows(
              IOException.class,
              () ->
                  ssh.exec(
                      host,
                      hosts.find(host.name()).orElseThrow(),
                      "sleep 40",
                      Duration.ofSeconds(2)));
      long seconds = Duration.ofNanos(System.nanoTime() - start).toSeconds();
      assertTrue(seconds < 15, "the 2 s step took " + seconds + " s");
      assertTrue(timedOut.getMessage().contains("timed out"), timedOut.getMessage());
      // the connection still works for the next step
      assertEquals(
          "next",
          ssh.exec(host, hosts.find(host.name()).orElseThrow(), "echo next", Duration.ofSeconds(5))
              .stdout()
              .trim());
    }
  }

  /**
   * Defect: an attempt that died between writing the upstream and reloading nginx left files and
   * running configuration apart; every retry saw "unchanged" and never reloaded.
   */
  @Test
  void aRetryReloadsWhenNginxRunsAnotherConfiguration() throws Exception {
    newService("reload");
    ImageRef v1 = build("", "v1");
    ImageRef v2 = build("", "v2");
    deployer.deploy(target(Slot.BLUE, v1));
    deployer.deploy(target(Slot.GREEN, v2));
    // an earlier attempt wrote the blue upstream and died before it reloaded
    Path file = nginxDir("production").resolve("upstreams/" + service + ".conf");
    Files.writeString(file, port(Slot.BLUE) + "\n");
    assertEquals(v2.sha(), servedVersion(spec), "nginx still runs the green configuration");

    deployer.switchTo(target(Slot.BLUE, v1));

    assertEquals(v1.sha(), servedVersion(spec));
  }

  /**
   * Defect: switch-back ports lived in the attempt's memory. After an attempt that had switched the
   * first host died, the retry saw the new slot as that host's "before", and a failure on the
   * second host left a mixed fleet. The environment's record says where each host was.
   */
  @Test
  void aFailedDeploySwitchesEveryHostBackToItsRecordedSlot() throws Exception {
    newService("fleet");
    HostSpec first = spec.hosts().get(0);
    EnvironmentSpec staging = TestHosts.environment("staging");
    HostSpec second =
        new HostSpec(
            staging.hosts().get(0).name(),
            staging.hosts().get(0).address(),
            staging.hosts().get(0).port(),
            staging.hosts().get(0).user(),
            staging.hosts().get(0).nginxPort());
    EnvironmentSpec fleet =
        new EnvironmentSpec(
            spec.url(),
            List.of(first, second),
            spec.slots(),
            spec.healthPath(),
            spec.rollbackWindow());
    EnvironmentSpec onlyFirst = spec;
    EnvironmentSpec secondView =
        new EnvironmentSpec(
            "http://127.0.0.1:" + second.nginxPort(),
            List.of(second),
            spec.slots(),
            spec.healthPath(),
            spec.rollbackWindow());
    ImageRef v1 = build("", "v1");
    ImageRef v2 = build("", "v2");
    deployer.deploy(new SlotTarget(service, "production", fleet, Slot.BLUE, v1));
    // the first attempt switched the first host, then its worker died
    deployer.deploy(new SlotTarget(service, "production", onlyFirst, Slot.GREEN, v2));
    assertEquals(v2.sha(), servedVersion(onlyFirst));

    freeze("staging"); // the second host's switch will not verify
    resumeWhen(
        "staging",
        () -> {
          try {
            return upstream("production").equals(port(Slot.BLUE));
          } catch (IOException e) {
            return false;
          }
        });
    Map<String, Slot> recorded = Map.of(first.name(), Slot.BLUE, second.name(), Slot.BLUE);
    failureOf(
        () ->
            deployer.deploy(
                new SlotTarget(service, "production", fleet, Slot.GREEN, v2, null, recorded)));
    resume("staging");

    assertTrue(
        eventually(Duration.ofSeconds(10), () -> v1.sha().equals(servedVersion(onlyFirst))),
        "the first host serves " + servedVersion(onlyFirst));
    assertTrue(
        eventually(Duration.ofSeconds(10), () -> v1.sha().equals(servedVersion(secondView))),
        "the second host serves " + servedVersion(secondView));
    assertFalse(upstream("production").contains("weight"));
  }
}
