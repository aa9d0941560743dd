package org.releaseengine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.FailureTypes;

/** The build activity against the real Docker engine and registry of scripts/infra.sh. */
class ImageBuilderIT {

  private final DockerEngine docker = new DockerEngine(Infra.dockerHost());
  private final ImageBuilder builder = new ImageBuilder(docker);
  private final String repository = Infra.registry() + "/it-" + System.nanoTime();
  private TestActivityEnvironment env;
  private BuildActivities activity;
  private ExampleRepo repo;

  @BeforeEach
  void setUp() {
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(builder);
    activity =
        env.newActivityStub(
            BuildActivities.class,
            ActivityOptions.newBuilder()
                .setStartToCloseTimeout(Duration.ofMinutes(5))
                .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
                .build());
    repo = ExampleRepo.create();
  }

  @AfterEach
  void tearDown() {
    env.close();
  }

  private BuildRequest request(String repositoryName, String sha) {
    return new BuildRequest(
        "hello-app",
        sha,
        new SourceSpec(repo.dir().toString(), ".", "Dockerfile"),
        new ImageSpec(repositoryName));
  }

  /** The registry's login and CA, as the worker has them (RELEASE_REGISTRY_AUTH, _CA). */
  private static final RegistryAccess ACCESS = RegistryAccess.fromEnvironment(System.getenv());

  /**
   * The digest the registry shows, asked directly: the infra's over HTTPS with its login, a test's
   * own loopback registry over plain HTTP.
   */
  private static String registryDigest(String repository, String tag) throws Exception {
    String host = repository.substring(0, repository.indexOf('/'));
    String name = repository.substring(host.length() + 1);
    boolean loopback = host.startsWith("127.");
    HttpRequest.Builder ask =
        HttpRequest.newBuilder(
            URI.create(
                (loopback ? "http://" : "https://") + host + "/v2/" + name + "/manifests/" + tag));
    if (!loopback) {
      RegistryAccess.Login login = ACCESS.loginFor(host).orElseThrow();
      ask.header(
          "Authorization",
          "Basic "
              + java.util.Base64.getEncoder()
                  .encodeToString((login.username() + ":" + login.password()).getBytes()));
    }
    HttpResponse<Void> head =
        HttpClient.newBuilder()
            .sslContext(ACCESS.ssl())
            .build()
            .send(
                ask.method("HEAD", HttpRequest.BodyPublishers.noBody())
                    .header(
                        "Accept",
                        "application/vnd.docker.distribution.manifest.v2+json, application/vnd.oci.image.manifest.v1+json")
                    .build(),
                HttpResponse.BodyHandlers.discarding());
    return head.statusCode() == 200
        ? head.headers().firstValue("Docker-Content-Digest").orElseThrow()
        : null;
  }

  @Test
  void buildsOncePushesAndReturnsTheRegistryDigest() throws Exception {
    String sha = repo.commit("", "v1");
    ImageRef image = activity.buildImage(request(repository, sha));

    assertEquals(registryDigest(repository, sha), image.digest());
    assertTrue(image.digest().matches("sha256:[0-9a-f]{64}"), image.digest());
    assertEquals(1, builder.builds());
    var labels =
        docker.client().inspectImageCmd(repository + ":" + sha).exec().getConfig().getLabels();
    assertEquals(sha, labels.get(ImageBuilder.REVISION_LABEL));
    assertEquals(repo.dir().toString(), labels.get("org.opencontainers.image.source"));
    assertTrue(labels.containsKey("org.opencontainers.image.created"));
    // the commit's time, the start of a deploy's lead time: on the ref and as a label
    long committed = image.commitTimeMs();
    assertTrue(Math.abs(System.currentTimeMillis() - committed) < 3_600_000, "" + committed);
    assertEquals(Long.toString(committed / 1000), labels.get(ImageBuilder.COMMIT_TIME_LABEL));

    ImageRef again = activity.buildImage(request(repository, sha));
    assertEquals(image, again, "the commit time read back from the pushed image's label");
    assertEquals(1, builder.builds(), "a second request for the same sha builds nothing");
  }

  @Test
  void pullByDigestWorksAfterTheLocalImageIsRemoved() throws Exception {
    String sha = repo.commit("", "v1");
    ImageRef image = activity.buildImage(request(repository, sha));
    docker.client().removeImageCmd(repository + ":" + sha).withForce(true).exec();
    assertThrows(Exception.class, () -> docker.client().inspectImageCmd(image.pinned()).exec());

    RegistryAccess.Login login = ACCESS.loginFor(Infra.registry()).orElseThrow();
    docker
        .client()
        .pullImageCmd(image.pinned())
        .withAuthConfig(
            new com.github.dockerjava.api.model.AuthConfig()
                .withRegistryAddress(Infra.registry())
                .withUsername(login.username())
                .withPassword(login.password()))
        .start()
        .awaitCompletion(2, TimeUnit.MINUTES);
    var pulled = docker.client().inspectImageCmd(image.pinned()).exec();
    assertTrue(
        pulled.getRepoDigests().contains(image.pinned()), pulled.getRepoDigests().toString());
    assertEquals(
        sha,
        pulled.getConfig().getEnv() == null
            ? null
            : java.util.Arrays.stream(pulled.getConfig().getEnv())
                .filter(e -> e.startsWith("APP_REVISION="))
                .findFirst()
                .orElseThrow()
                .substring(13));
  }

  /**
   * A Dockerfile's RUN steps reach nothing: not a service on the worker's loopback (Temporal, the
   * dashboard, Slack's endpoint) nor one on the machine's other address (the registry's). Each
   * target has a listener that counts connections, and the build itself succeeds.
   */
  @Test
  void aRunStepReachesNoneOfTheWorkersServices() throws Exception {
    try (ServerSocket loopback =
            new ServerSocket(0, 50, java.net.InetAddress.getByName("127.0.0.1"));
        ServerSocket machine =
            new ServerSocket(
                0,
                50,
                java.net.InetAddress.getByName(
                    Infra.registry().substring(0, Infra.registry().indexOf(':'))))) {
      java.util.concurrent.atomic.AtomicInteger connections =
          new java.util.concurrent.atomic.AtomicInteger();
      for (ServerSocket listener : java.util.List.of(loopback, machine)) {
        Thread accepting =
            new Thread(
                () -> {
                  while (!listener.isClosed()) {
                    try (var ignored = listener.accept()) {
                      connections.incrementAndGet();
                    } catch (java.io.IOException closed) {
                      return;
                    }
                  }
                });
        accepting.setDaemon(true);
        accepting.start();
      }
      String step =
          "RUN for t in 127.0.0.1:"
              + loopback.getLocalPort()
              + " "
              + machine.getInetAddress().getHostAddress()
              + ":"
              + machine.getLocalPort()
              + "; do (echo x | nc -w 2 ${t%:*} ${t#*:} && echo \"reached $t\" || echo \"blocked"
              + " $t\") >> /reach; done\n";
      String sha =
          repo.commitFile(
              "Dockerfile", "FROM release-engine/busybox:local\n" + step, "reach the worker");
      activity.buildImage(request(repository, sha));

      assertEquals(0, connections.get(), "a RUN step connected to a listener on the machine");
    }
  }

  @Test
  void aDockerfileErrorFailsWithItsReasonAndPushesNothing() throws Exception {
    String sha =
        repo.commitFile("Dockerfile", "FROM release-engine/busybox:local\nRUN exit 3\n", "broken");
    ApplicationFailure failure = failureOf(() -> activity.buildImage(request(repository, sha)));

    assertEquals(ImageBuilder.BUILD_FAILED, failure.getType());
    assertTrue(
        failure.getOriginalMessage().startsWith("docker build of " + sha + " failed: "),
        failure.getOriginalMessage());
    assertTrue(
        failure.getOriginalMessage().contains("returned a non-zero code: 3"),
        failure.getOriginalMessage());
    assertFalse(failure.getOriginalMessage().contains("\n"), "one line");
    assertTrue(
        failure.getDetails().get(0, String.class).contains("RUN exit 3"),
        "the build's output tail");
    assertEquals(null, registryDigest(repository, sha), "nothing pushed");
  }

  @Test
  void anUnknownShaFailsNamingIt() throws Exception {
    repo.commit("", "v1");
    String unknown = "0123456789abcdef0123456789abcdef01234567";
    ApplicationFailure failure = failureOf(() -> activity.buildImage(request(repository, unknown)));
    assertEquals("sha " + unknown + " not found in " + repo.dir(), failure.getOriginalMessage());
    assertEquals(0, builder.builds());
    assertEquals(null, registryDigest(repository, unknown));
  }

  @Test
  void aStoppedRegistryFailsTheBuildNamingIt() throws Exception {
    int port;
    try (ServerSocket socket = new ServerSocket(0)) {
      port = socket.getLocalPort();
    }
    Path dir = Infra.tempDir("registry-");
    Path config = dir.resolve("config.yml");
    Files.writeString(
        config,
        "version: 0.1\nstorage:\n  filesystem:\n    rootdirectory: "
            + dir.resolve("data")
            + "\nhttp:\n  addr: 127.0.0.1:"
            + port
            + "\n");
    Process registry =
        new ProcessBuilder("docker-registry", "serve", config.toString())
            .redirectErrorStream(true)
            .redirectOutput(dir.resolve("log").toFile())
            .start();
    String own = "127.0.0.1:" + port + "/stopped-" + System.nanoTime();
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      // the registry answers once it listens; asking before that is a refused connection
      while (!up(port) && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      String v1 = repo.commit("", "v1");
      activity.buildImage(request(own, v1));
    } finally {
      registry.destroyForcibly().waitFor();
    }
    String v2 = repo.commit("", "v2");
    ApplicationFailure failure = failureOf(() -> activity.buildImage(request(own, v2)));
    assertEquals("RegistryUnavailable", failure.getType());
    assertTrue(
        failure.getOriginalMessage().startsWith("registry 127.0.0.1:" + port + " is unreachable"),
        failure.getOriginalMessage());
    assertEquals(1, builder.builds(), "v2 was not built");
  }

  @Test
  void badInputIsRefusedBeforeAnyBuild() {
    String sha = repo.commit("", "v1");
    for (String badSha : new String[] {"12345", "xyz1234", sha + "00", "1234567; rm -rf /"}) {
      ApplicationFailure failure =
          failureOf(() -> activity.buildImage(request(repository, badSha)));
      assertEquals(FailureTypes.BAD_INPUT, failure.getType(), badSha);
    }
    for (String badRepository :
        new String[] {
          Infra.registry() + "/../etc",
          Infra.registry() + "/x;rm -rf /",
          Infra.registry() + "/$(id)",
          "`id`/x",
          Infra.registry() + "/App:latest"
        }) {
      ApplicationFailure failure =
          failureOf(() -> activity.buildImage(request(badRepository, sha)));
      assertEquals(FailureTypes.BAD_INPUT, failure.getType(), badRepository);
      assertTrue(failure.getOriginalMessage().startsWith("unsafe or malformed image repository"));
    }
    assertEquals(0, builder.builds());
  }

  private static boolean up(int port) {
    try (java.net.Socket s = new java.net.Socket("127.0.0.1", port)) {
      return true;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  private static ApplicationFailure failureOf(Runnable call) {
    ActivityFailure failure = assertThrows(ActivityFailure.class, call::run);
    return (ApplicationFailure) failure.getCause();
  }
}
