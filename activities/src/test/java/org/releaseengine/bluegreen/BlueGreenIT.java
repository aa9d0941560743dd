package org.releaseengine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
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
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.CanaryActivities;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.FailureTypes;

/**
 * Blue-green on the infra's production host: real sshd, nginx and Docker, images built from the
 * example app. Each test deploys a service of its own (its own containers, nginx site and ports)
 * into the state it starts from, so any one of them runs alone, in any order.
 */
class BlueGreenIT {

  private static final String PREFIX = "bg" + (System.nanoTime() % 100000);
  private static final String ENV = "production";
  private static final List<String> SERVICES = new ArrayList<>();

  private static TestActivityEnvironment activities;
  private static DeployActivities deployer;
  private static HostDirectory hosts;
  private static ImageRef v1;
  private static ImageRef v2;
  private static ImageRef broken;

  @BeforeAll
  static void buildImages() {
    activities = TestActivityEnvironment.newInstance();
    hosts = HostDirectory.load(Path.of(Infra.env("RELEASE_HOSTS_FILE")));
    activities.registerActivitiesImplementations(
        new ImageBuilder(new DockerEngine(Infra.dockerHost())),
        new BlueGreenDeployer(hosts, new SshConnections()));
    ActivityOptions once =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    deployer = activities.newActivityStub(DeployActivities.class, once);
    BuildActivities builder = activities.newActivityStub(BuildActivities.class, once);
    ExampleRepo repo = ExampleRepo.create();
    String repository = Infra.registry() + "/" + PREFIX;
    SourceSpec source = new SourceSpec(repo.dir().toString(), ".", "Dockerfile");
    v1 =
        builder.buildImage(
            new BuildRequest(PREFIX, repo.commit("", "v1"), source, new ImageSpec(repository)));
    v2 =
        builder.buildImage(
            new BuildRequest(PREFIX, repo.commit("", "v2"), source, new ImageSpec(repository)));
    broken =
        builder.buildImage(
            new BuildRequest(
                PREFIX,
                repo.commit("unhealthy=true", "v3 with a broken health check"),
                source,
                new ImageSpec(repository)));
  }

  @AfterAll
  static void cleanUp() {
    SERVICES.forEach(service -> TestHosts.cleanUp(service, ENV));
    activities.close();
  }

  /** A service of the test's own on the production host, with fresh ports. */
  private static Service service(String name) {
    Service service = new Service(PREFIX + "-" + name, TestHosts.environment(ENV));
    SERVICES.add(service.name);
    return service;
  }

  /** One service's environment on the production host, as a test sees it. */
  private record Service(String name, EnvironmentSpec spec) {

    SlotTarget target(Slot slot, ImageRef image) {
      return new SlotTarget(name, ENV, spec, slot, image);
    }

    String url() {
      return spec.url();
    }

    /** Deploys {@code image} into {@code slot} and checks it is what the URL serves. */
    Service live(Slot slot, ImageRef image) throws Exception {
      deployer.deploy(target(slot, image));
      assertEquals(image.sha(), version());
      return this;
    }

    String version() throws Exception {
      HttpResponse<String> response =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(url() + "/version")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertEquals(200, response.statusCode());
      return response.body().trim();
    }

    boolean containerExists(Slot slot) {
      return TestHosts.slotRunning(name, ENV, slot.label());
    }
  }

  private static ApplicationFailure failureOf(Runnable call) {
    return (ApplicationFailure) assertThrows(ActivityFailure.class, call::run).getCause();
  }

  @Test
  void firstDeployServesV1() throws Exception {
    Service app = service("first");
    deployer.deploy(app.target(Slot.BLUE, v1));
    assertEquals(v1.sha(), app.version());
  }

  @Test
  void deployingV2UnderLoadFailsNoRequest() throws Exception {
    Service app = service("load").live(Slot.BLUE, v1);
    LoadGenerator load =
        new LoadGenerator(app.url() + "/hello", 8, Duration.ofSeconds(60), v1.sha(), v2.sha())
            .start();
    Thread.sleep(1000);
    deployer.deploy(app.target(Slot.GREEN, v2));
    Thread.sleep(1000);
    load.close();

    assertTrue(load.sent() > 1000, "the load generator ran: " + load.sent());
    assertEquals(0, load.failed(), "failed requests, first: " + load.firstFailure());
    assertEquals(v2.sha(), app.version());
    assertTrue(app.containerExists(Slot.BLUE), "the old slot stays warm");
  }

  @Test
  void aBuildWhoseHealthCheckFailsNeverGetsTraffic() throws Exception {
    Service app = service("unhealthy").live(Slot.GREEN, v2);
    LoadGenerator load =
        new LoadGenerator(app.url() + "/hello", 4, Duration.ofSeconds(60), v2.sha()).start();
    ApplicationFailure failure = failureOf(() -> deployer.deploy(app.target(Slot.BLUE, broken)));
    load.close();

    assertEquals("HealthCheckFailed", failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure
            .getOriginalMessage()
            .startsWith(
                "health check of the blue slot on production-1 failed: " + "/healthz answered 503"),
        failure.getOriginalMessage());
    assertEquals(0, load.failed(), "traffic never left v2: " + load.firstFailure());
    assertEquals(v2.sha(), app.version());
    assertFalse(app.containerExists(Slot.BLUE), "the failed slot is stopped");
  }

  @Test
  void rollbackToV1ServesV1Again() throws Exception {
    Service app = service("rollback").live(Slot.GREEN, v2).live(Slot.BLUE, v1);
    deployer.switchTo(app.target(Slot.GREEN, v2));
    assertEquals(v2.sha(), app.version());
    deployer.switchTo(app.target(Slot.BLUE, v1)); // inside the window: a switch, no pull, no start
    assertEquals(v1.sha(), app.version());
  }

  @Test
  void retiringTheLiveSlotIsRefused() throws Exception {
    Service app = service("retire").live(Slot.GREEN, v2).live(Slot.BLUE, v1);
    ApplicationFailure failure = failureOf(() -> deployer.retire(app.target(Slot.BLUE, v1)));
    assertTrue(
        failure.getOriginalMessage().contains("refusing to stop the live slot"),
        failure.getOriginalMessage());
    assertTrue(app.containerExists(Slot.BLUE), "the live slot still runs");
    deployer.retire(app.target(Slot.GREEN, v2));
    assertFalse(app.containerExists(Slot.GREEN));
    assertEquals(v1.sha(), app.version());
  }

  @Test
  void aHostKeyMismatchRefusesToConnect() throws Exception {
    Service app = service("hostkey").live(Slot.BLUE, v1);
    Path wrong = Files.createTempFile("known_hosts", "");
    String otherKey =
        Files.readString(Infra.dir().resolve("hosts/staging/ssh_host_ed25519_key.pub"))
            .split(" ")[1];
    Files.writeString(wrong, "[127.0.0.1]:2223 ssh-ed25519 " + otherKey + "\n");
    HostConfig real = hosts.find("production-1").orElseThrow();
    HostDirectory lying =
        new HostDirectory(
            java.util.Map.of(
                "production-1",
                new HostConfig(
                    "production-1",
                    real.privateKey(),
                    wrong,
                    real.dockerHost(),
                    real.nginxPrefix())));
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new BlueGreenDeployer(lying, new SshConnections()));
    DeployActivities refused =
        env.newActivityStub(
            DeployActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    try {
      ApplicationFailure failure = failureOf(() -> refused.deploy(app.target(Slot.GREEN, v2)));
      assertEquals("HostKeyRejected", failure.getType());
      assertTrue(failure.isNonRetryable());
      assertEquals(v1.sha(), app.version());
    } finally {
      env.close();
    }
  }

  @Test
  void anUnreachableHostFailsRetryablyAndProductionKeepsTheOldVersion() throws Exception {
    Service app = service("unreachable").live(Slot.BLUE, v1);
    Infra.run(Infra.ROOT, "bash", "scripts/infra.sh", "sshd-stop", ENV);
    try {
      for (int attempt = 1; attempt <= 3; attempt++) { // what the retry policy does
        ApplicationFailure failure = failureOf(() -> deployer.deploy(app.target(Slot.GREEN, v2)));
        assertEquals("HostUnreachable", failure.getType());
        assertFalse(failure.isNonRetryable());
        assertTrue(
            failure
                .getOriginalMessage()
                .startsWith("host production-1 (127.0.0.1:2223) unreachable"));
      }
      assertEquals(v1.sha(), app.version());
    } finally {
      Infra.run(Infra.ROOT, "bash", "scripts/infra.sh", "sshd-start", ENV);
    }
    app.live(Slot.GREEN, v2);
  }

  @Test
  void unsafeValuesAreRefusedBeforeAnySessionOpens() {
    Service app = service("unsafe");
    EnvironmentSpec spec = app.spec();
    String name = app.name();
    long sessionsBefore = TestHosts.sessionsOpened(ENV);
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new BlueGreenDeployer(hosts, new SshConnections()));
    DeployActivities fresh =
        env.newActivityStub(
            DeployActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    HostSpec host = spec.hosts().get(0);
    List<SlotTarget> bad =
        List.of(
            new SlotTarget("x; rm -rf /", ENV, spec, Slot.BLUE, v1),
            new SlotTarget(name, "$(reboot)", spec, Slot.BLUE, v1),
            new SlotTarget(
                name, ENV, spec, Slot.BLUE, new ImageRef(v1.repository(), "`id`", v1.digest())),
            new SlotTarget(
                name,
                ENV,
                spec,
                Slot.BLUE,
                new ImageRef(v1.repository() + "\nrm -rf /", v1.sha(), v1.digest())),
            new SlotTarget(
                name,
                ENV,
                new EnvironmentSpec(
                    spec.url(),
                    spec.hosts(),
                    spec.slots(),
                    "/healthz;reboot",
                    spec.rollbackWindow()),
                Slot.BLUE,
                v1),
            new SlotTarget(
                name,
                ENV,
                new EnvironmentSpec(
                    spec.url(),
                    List.of(
                        new HostSpec(
                            host.name(),
                            "127.0.0.1 && id",
                            host.port(),
                            host.user(),
                            host.nginxPort())),
                    spec.slots(),
                    "/healthz",
                    spec.rollbackWindow()),
                Slot.BLUE,
                v1));
    try {
      for (SlotTarget target : bad) {
        ApplicationFailure failure = failureOf(() -> fresh.deploy(target));
        assertEquals(FailureTypes.BAD_INPUT, failure.getType(), target.toString());
        assertTrue(
            failure.getOriginalMessage().contains("is not a safe"), failure.getOriginalMessage());
      }
    } finally {
      env.close();
    }
    assertEquals(sessionsBefore, TestHosts.sessionsOpened(ENV), "no SSH session was opened");
  }

  @Test
  void canaryWeightsAreExactNginxWeightsAndAWeightedSlotIsNeverRetired() throws Exception {
    // v2 is live in GREEN and v1 still runs in BLUE: v1 plays the canary
    Service app = service("canary").live(Slot.BLUE, v1).live(Slot.GREEN, v2);
    EnvironmentSpec spec = app.spec();
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new CanaryDeployer(hosts, new SshConnections()));
    CanaryActivities canary =
        env.newActivityStub(
            CanaryActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    Path upstream =
        Infra.dir().resolve("hosts/" + ENV + "/nginx/upstreams/" + app.name() + ".conf");
    try {
      canary.startCanary(app.target(Slot.BLUE, v1));
      canary.setCanaryWeight(app.target(Slot.BLUE, v1), 1);
      assertEquals(
          "server 127.0.0.1:"
              + spec.slots().green()
              + " weight=99;\n"
              + "server 127.0.0.1:"
              + spec.slots().blue()
              + " weight=1;\n",
          Files.readString(upstream));
      int fromCanary = 0;
      for (int i = 0; i < 2000; i++) {
        fromCanary += app.version().equals(v1.sha()) ? 1 : 0;
      }
      assertTrue(fromCanary >= 10 && fromCanary <= 30, "1% of 2,000 requests, got " + fromCanary);

      for (Slot weighted : Slot.values()) {
        ApplicationFailure refused =
            failureOf(() -> deployer.retire(app.target(weighted, weighted == Slot.BLUE ? v1 : v2)));
        assertTrue(
            refused.getOriginalMessage().contains("refusing to stop the live slot"),
            refused.getOriginalMessage());
      }
      ApplicationFailure zero =
          failureOf(() -> canary.setCanaryWeight(app.target(Slot.BLUE, v1), 0));
      assertEquals(FailureTypes.BAD_INPUT, zero.getType());

      // a canary whose way back failed left the host weighted: the next canary settles it on
      // stable before it replaces the slot that still took 1%
      canary.startCanary(app.target(Slot.BLUE, v1));
      assertEquals("server 127.0.0.1:" + spec.slots().green() + ";\n", Files.readString(upstream));
      assertEquals(v2.sha(), app.version());
      canary.setCanaryWeight(app.target(Slot.BLUE, v1), 1);

      deployer.switchTo(app.target(Slot.GREEN, v2)); // the way back: every request to stable
      assertEquals("server 127.0.0.1:" + spec.slots().green() + ";\n", Files.readString(upstream));
      assertEquals(v2.sha(), app.version());
    } finally {
      env.close();
    }
  }
}
