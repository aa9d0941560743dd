package org.releaseengine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
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
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.model.VolumeSpec;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.DeployReport;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * A container's configuration on the infra's staging host (real sshd, Docker, nginx, and the
 * authenticated TLS registry): plain values, a secret from the worker's store, a named volume and a
 * memory limit reach the app; the secret goes through an env file that does not outlive the start;
 * a changed secret makes the same digest a new container, the same configuration does not; a host
 * path through a symbolic link is refused on the host before any container changes.
 */
@TestMethodOrder(OrderAnnotation.class)
class ContainerConfigIT {

  private static final String SERVICE = "cfg" + (System.nanoTime() % 100000);
  private static final String ENV = "staging";
  private static final String FIRST = "first-secret-" + System.nanoTime();
  private static final String SECOND = "the-second-secret-" + System.nanoTime();
  private static final EnvironmentSpec SPEC =
      TestHosts.environment(ENV)
          .withContainer(
              new ContainerSpec(
                  Map.of("GREETING", "hello from the test"),
                  List.of("DEMO_SECRET"),
                  List.of(new VolumeSpec(SERVICE + "-data", "/data", false)),
                  "128m",
                  "0.5",
                  null));

  private static Path secrets;
  private static TestActivityEnvironment activities;
  private static DeployActivities deployer;
  private static ImageRef image;

  @BeforeAll
  static void buildImage() throws Exception {
    secrets = Infra.tempDir("secrets-");
    Files.createDirectories(secrets.resolve(SERVICE + "/" + ENV));
    Files.writeString(secrets.resolve(SERVICE + "/" + ENV + "/DEMO_SECRET"), FIRST + "\n");
    activities = TestActivityEnvironment.newInstance();
    activities.registerActivitiesImplementations(
        new ImageBuilder(new DockerEngine(Infra.dockerHost())),
        new BlueGreenDeployer(
            HostDirectory.load(Path.of(Infra.env("RELEASE_HOSTS_FILE"))),
            new SshConnections(),
            SecretStore.fromEnvironment(Map.of("RELEASE_SECRETS_DIR", secrets.toString())),
            RegistryAccess.fromEnvironment(System.getenv())));
    ActivityOptions once =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    deployer = activities.newActivityStub(DeployActivities.class, once);
    ExampleRepo repo = ExampleRepo.create();
    image =
        activities
            .newActivityStub(BuildActivities.class, once)
            .buildImage(
                new BuildRequest(
                    SERVICE,
                    repo.commit("", "v1"),
                    new SourceSpec(repo.dir().toString(), ".", "Dockerfile"),
                    new ImageSpec(Infra.registry() + "/" + SERVICE)));
  }

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE, ENV);
    Infra.run(Infra.dir(), "/usr/bin/docker", "volume", "rm", "-f", SERVICE + "-data");
    activities.close();
  }

  private static SlotTarget target(Slot slot, EnvironmentSpec spec) {
    return new SlotTarget(SERVICE, ENV, spec, slot, image);
  }

  private static String config() throws Exception {
    HttpResponse<String> response =
        HttpClient.newHttpClient()
            .send(
                HttpRequest.newBuilder(URI.create(SPEC.url() + "/config")).build(),
                HttpResponse.BodyHandlers.ofString());
    assertEquals(200, response.statusCode());
    return response.body();
  }

  private static String inspect(Slot slot, String format) {
    return Infra.run(
            Infra.dir(),
            "/usr/bin/docker",
            "inspect",
            "-f",
            format,
            SERVICE + "-" + ENV + "-" + slot.label())
        .trim();
  }

  /** Files the deploy user left in /tmp that hold {@code value}. */
  private static String leftBehind(String value) {
    return Infra.run(
        Path.of("/tmp"),
        "sh",
        "-c",
        "find /tmp -maxdepth 2 -user release-deploy -type f -exec grep -lF -- '"
            + value
            + "' {} + 2>/dev/null || true");
  }

  private static DeployReport firstReport;

  @Test
  @Order(1)
  void theAppGetsItsValuesItsSecretAndItsVolume() throws Exception {
    firstReport = deployer.deploy(target(Slot.BLUE, SPEC));
    String config = config();
    assertTrue(config.contains("env GREETING: hello from the test\n"), config);
    assertTrue(config.contains("secret DEMO_SECRET: set (" + FIRST.length() + " chars)\n"), config);
    assertTrue(config.contains("volume /data: mounted (1 starts)\n"), config);
    assertEquals(
        firstReport.config().fingerprint(),
        inspect(Slot.BLUE, "{{index .Config.Labels \"release.config\"}}"));
    assertEquals(String.valueOf(128L * 1024 * 1024), inspect(Slot.BLUE, "{{.HostConfig.Memory}}"));
    assertEquals("10", inspect(Slot.BLUE, "{{.Config.StopTimeout}}"));
    assertEquals("", leftBehind(FIRST), "no env file outlives the start");
    assertFalse(firstReport.toString().contains(FIRST), firstReport.toString());
    assertEquals(List.of("DEMO_SECRET"), List.copyOf(firstReport.config().secrets().keySet()));
  }

  @Test
  @Order(2)
  void aChangedSecretIsANewContainerOfTheSameDigest() throws Exception {
    Files.writeString(secrets.resolve(SERVICE + "/" + ENV + "/DEMO_SECRET"), SECOND + "\n");
    DeployReport second = deployer.deploy(target(Slot.GREEN, SPEC));
    String config = config();
    assertTrue(
        config.contains("secret DEMO_SECRET: set (" + SECOND.length() + " chars)\n"), config);
    assertTrue(config.contains("volume /data: mounted (2 starts)\n"), config);
    assertNotEquals(firstReport.config().fingerprint(), second.config().fingerprint());
    assertEquals(List.of("DEMO_SECRET"), second.config().changedSecretsSince(firstReport.config()));
    assertEquals(image.pinned(), inspect(Slot.GREEN, "{{.Config.Image}}"));

    // the same deploy again: the running container has this configuration and is left alone
    String startedAt = inspect(Slot.GREEN, "{{.State.StartedAt}}");
    DeployReport again = deployer.deploy(target(Slot.GREEN, SPEC));
    assertEquals(second.config(), again.config());
    assertEquals(startedAt, inspect(Slot.GREEN, "{{.State.StartedAt}}"));
    assertEquals("", leftBehind(SECOND));
  }

  @Test
  @Order(3)
  void aSecretTheStoreLacksFailsTheDeployNamingIt() {
    EnvironmentSpec missing =
        SPEC.withContainer(new ContainerSpec(null, List.of("NOT_THERE"), null, null, null, null));
    ApplicationFailure failure =
        (ApplicationFailure)
            assertThrows(ActivityFailure.class, () -> deployer.deploy(target(Slot.BLUE, missing)))
                .getCause();
    assertEquals("MissingSecret", failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure.getOriginalMessage().startsWith("staging: secret NOT_THERE: no such file"),
        failure.getOriginalMessage());
  }

  /**
   * A release mounted a directory under the host's volumePrefix and left a link to / in it; a later
   * release mounts the link's path, which is under the prefix as text. The host refuses it before
   * any container changes: the deploy fails for good, naming the host and the link, and both slots
   * still run the containers they ran.
   */
  @Test
  @Order(4)
  void aHostPathThroughASymbolicLinkIsRefusedAndNoContainerChanges() throws Exception {
    Path prefix = Infra.tempDir("volumes-");
    // the deploy user must be able to look in, or the refusal would be for that instead
    Files.setPosixFilePermissions(prefix, PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.setPosixFilePermissions(
        Files.createDirectories(prefix.resolve("x")), PosixFilePermissions.fromString("rwxr-xr-x"));
    Files.createSymbolicLink(prefix.resolve("x/root"), Path.of("/"));
    String link = prefix + "/x/root";
    EnvironmentSpec through =
        SPEC.withContainer(
            new ContainerSpec(
                SPEC.container().env(),
                SPEC.container().secrets(),
                List.of(new VolumeSpec(link, "/host", true)),
                "128m",
                "0.5",
                null));
    String blue = inspect(Slot.BLUE, "{{.Id}} {{.State.StartedAt}}");
    String green = inspect(Slot.GREEN, "{{.Id}} {{.State.StartedAt}}");

    ApplicationFailure failure =
        (ApplicationFailure)
            assertThrows(ActivityFailure.class, () -> deployer.deploy(target(Slot.BLUE, through)))
                .getCause();

    assertEquals("PolicyRefused", failure.getType());
    assertTrue(failure.isNonRetryable());
    assertTrue(
        failure
            .getOriginalMessage()
            .endsWith(
                ": host path "
                    + link
                    + ": "
                    + link
                    + " is a symbolic link, which could lead out of the volumePrefix; refusing to"
                    + " mount it"),
        failure.getOriginalMessage());
    assertEquals(blue, inspect(Slot.BLUE, "{{.Id}} {{.State.StartedAt}}"));
    assertEquals(green, inspect(Slot.GREEN, "{{.Id}} {{.State.StartedAt}}"));
  }
}
