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
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer.OrderAnnotation;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
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
 * example app. The tests run in order, each starting from where the previous one left production.
 */
@TestMethodOrder(OrderAnnotation.class)
class BlueGreenIT {

  private static final String SERVICE = "bg" + (System.nanoTime() % 100000);
  private static final String ENV = "production";
  private static final EnvironmentSpec SPEC = TestHosts.environment(ENV);
  private static final String URL = SPEC.url();

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
    String repository = Infra.registry() + "/" + SERVICE;
    SourceSpec source = new SourceSpec(repo.dir().toString(), ".", "Dockerfile");
    v1 =
        builder.buildImage(
            new BuildRequest(SERVICE, repo.commit("", "v1"), source, new ImageSpec(repository)));
    v2 =
        builder.buildImage(
            new BuildRequest(SERVICE, repo.commit("", "v2"), source, new ImageSpec(repository)));
    broken =
        builder.buildImage(
            new BuildRequest(
                SERVICE,
                repo.commit("unhealthy=true", "v3 with a broken health check"),
                source,
                new ImageSpec(repository)));
  }

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE, ENV);
    activities.close();
  }

  private static SlotTarget target(Slot slot, ImageRef image) {
    return new SlotTarget(SERVICE, ENV, SPEC, slot, image);
  }

  private static String version() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(URL + "/version")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body().trim();
  }

  private static boolean containerExists(Slot slot) {
    return TestHosts.slotRunning(SERVICE, ENV, slot.label());
  }

  private static ApplicationFailure failureOf(Runnable call) {
    return (ApplicationFailure) assertThrows(ActivityFailure.class, call::run).getCause();
  }

  @Test
  @Order(1)
  void firstDeployServesV1() throws Exception {
    deployer.deploy(target(Slot.BLUE, v1));
    assertEquals(v1.sha(), version());
  }

  @Test
  @Order(2)
  void deployingV2UnderLoadFailsNoRequest() throws Exception {
    LoadGenerator load =
        new LoadGenerator(URL + "/hello", 8, Duration.ofSeconds(60), v1.sha(), v2.sha()).start();
    Thread.sleep(1000);
    deployer.deploy(target(Slot.GREEN, v2));
    Thread.sleep(1000);
    load.close();

    assertTrue(load.sent() > 1000, "the load generator ran: " + load.sent());
    assertEquals(0, load.failed(), "failed requests, first: " + load.firstFailure());
    assertEquals(v2.sha(), version());
    assertTrue(containerExists(Slot.BLUE), "the old slot stays warm");
  }

  @Test
  @Order(3)
  void aBuildWhoseHealthCheckFailsNeverGetsTraffic() throws Exception {
    LoadGenerator load =
        new LoadGenerator(URL + "/hello", 4, Duration.ofSeconds(60), v2.sha()).start();
    ApplicationFailure failure = failureOf(() -> deployer.deploy(target(Slot.BLUE, broken)));
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
    assertEquals(v2.sha(), version());
    assertFalse(containerExists(Slot.BLUE), "the failed slot is stopped");
  }

  @Test
  @Order(4)
  void rollbackToV1ServesV1Again() throws Exception {
    deployer.deploy(target(Slot.BLUE, v1)); // the warm slot was replaced: a full blue-green deploy
    assertEquals(v1.sha(), version());
    deployer.switchTo(target(Slot.GREEN, v2));
    assertEquals(v2.sha(), version());
    deployer.switchTo(target(Slot.BLUE, v1)); // inside the window: a switch, no pull, no start
    assertEquals(v1.sha(), version());
  }

  @Test
  @Order(5)
  void retiringTheLiveSlotIsRefused() throws Exception {
    ApplicationFailure failure = failureOf(() -> deployer.retire(target(Slot.BLUE, v1)));
    assertTrue(
        failure.getOriginalMessage().contains("refusing to stop the live slot"),
        failure.getOriginalMessage());
    deployer.retire(target(Slot.GREEN, v2));
    assertFalse(containerExists(Slot.GREEN));
    assertEquals(v1.sha(), version());
  }

  @Test
  @Order(6)
  void aHostKeyMismatchRefusesToConnect() throws Exception {
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
      ApplicationFailure failure = failureOf(() -> refused.deploy(target(Slot.GREEN, v2)));
      assertEquals("HostKeyRejected", failure.getType());
      assertTrue(failure.isNonRetryable());
      assertEquals(v1.sha(), version());
    } finally {
      env.close();
    }
  }

  @Test
  @Order(7)
  void anUnreachableHostFailsRetryablyAndProductionKeepsTheOldVersion() throws Exception {
    Infra.run(Infra.ROOT, "bash", "scripts/infra.sh", "sshd-stop", ENV);
    try {
      for (int attempt = 1; attempt <= 3; attempt++) { // what the retry policy does
        ApplicationFailure failure = failureOf(() -> deployer.deploy(target(Slot.GREEN, v2)));
        assertEquals("HostUnreachable", failure.getType());
        assertFalse(failure.isNonRetryable());
        assertTrue(
            failure
                .getOriginalMessage()
                .startsWith("host production-1 (127.0.0.1:2223) unreachable"));
      }
      assertEquals(v1.sha(), version());
    } finally {
      Infra.run(Infra.ROOT, "bash", "scripts/infra.sh", "sshd-start", ENV);
    }
    deployer.deploy(target(Slot.GREEN, v2));
    assertEquals(v2.sha(), version());
  }

  @Test
  @Order(8)
  void unsafeValuesAreRefusedBeforeAnySessionOpens() {
    long sessionsBefore = TestHosts.sessionsOpened(ENV);
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new BlueGreenDeployer(hosts, new SshConnections()));
    DeployActivities fresh =
        env.newActivityStub(
            DeployActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    HostSpec host = SPEC.hosts().get(0);
    List<SlotTarget> bad =
        List.of(
            new SlotTarget("x; rm -rf /", ENV, SPEC, Slot.BLUE, v1),
            new SlotTarget(SERVICE, "$(reboot)", SPEC, Slot.BLUE, v1),
            new SlotTarget(
                SERVICE, ENV, SPEC, Slot.BLUE, new ImageRef(v1.repository(), "`id`", v1.digest())),
            new SlotTarget(
                SERVICE,
                ENV,
                SPEC,
                Slot.BLUE,
                new ImageRef(v1.repository() + "\nrm -rf /", v1.sha(), v1.digest())),
            new SlotTarget(
                SERVICE,
                ENV,
                new EnvironmentSpec(
                    SPEC.url(),
                    SPEC.hosts(),
                    SPEC.slots(),
                    "/healthz;reboot",
                    SPEC.rollbackWindow()),
                Slot.BLUE,
                v1),
            new SlotTarget(
                SERVICE,
                ENV,
                new EnvironmentSpec(
                    SPEC.url(),
                    List.of(
                        new HostSpec(
                            host.name(),
                            "127.0.0.1 && id",
                            host.port(),
                            host.user(),
                            host.nginxPort())),
                    SPEC.slots(),
                    "/healthz",
                    SPEC.rollbackWindow()),
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
  @Order(9)
  void canaryWeightsAreExactNginxWeightsAndAWeightedSlotIsNeverRetired() throws Exception {
    // v2 is live in GREEN and v1 still runs in BLUE: v1 plays the canary
    TestActivityEnvironment env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new CanaryDeployer(hosts, new SshConnections()));
    CanaryActivities canary =
        env.newActivityStub(
            CanaryActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(1))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    Path upstream = Infra.dir().resolve("hosts/" + ENV + "/nginx/upstreams/" + SERVICE + ".conf");
    try {
      canary.startCanary(target(Slot.BLUE, v1));
      canary.setCanaryWeight(target(Slot.BLUE, v1), 1);
      assertEquals(
          "server 127.0.0.1:"
              + SPEC.slots().green()
              + " weight=99;\n"
              + "server 127.0.0.1:"
              + SPEC.slots().blue()
              + " weight=1;\n",
          Files.readString(upstream));
      int fromCanary = 0;
      for (int i = 0; i < 2000; i++) {
        fromCanary += version().equals(v1.sha()) ? 1 : 0;
      }
      assertTrue(fromCanary >= 10 && fromCanary <= 30, "1% of 2,000 requests, got " + fromCanary);

      for (Slot weighted : Slot.values()) {
        ApplicationFailure refused =
            failureOf(() -> deployer.retire(target(weighted, weighted == Slot.BLUE ? v1 : v2)));
        assertTrue(
            refused.getOriginalMessage().contains("refusing to stop the live slot"),
            refused.getOriginalMessage());
      }
      ApplicationFailure zero = failureOf(() -> canary.setCanaryWeight(target(Slot.BLUE, v1), 0));
      assertEquals(FailureTypes.BAD_INPUT, zero.getType());

      deployer.switchTo(target(Slot.GREEN, v2)); // the way back: every request to stable
      assertEquals("server 127.0.0.1:" + SPEC.slots().green() + ";\n", Files.readString(upstream));
      assertEquals(v2.sha(), version());
    } finally {
      env.close();
    }
  }
}
