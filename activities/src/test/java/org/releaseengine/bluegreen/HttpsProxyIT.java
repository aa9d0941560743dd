package org.releaseengine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.docker.DockerEngine;
import org.releaseengine.docker.ImageBuilder;
import org.releaseengine.docker.SealedRunner;
import org.releaseengine.e2e.E2eRunner;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.process.SecretRedactor;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.BuildActivities.BuildRequest;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.E2eActivities;
import org.releaseengine.stage.E2eActivities.E2eRequest;
import org.releaseengine.stage.VerifyActivities.VerifyRequest;
import org.releaseengine.tls.ContainerCa;
import org.releaseengine.tls.ExtraCas;
import org.releaseengine.verify.HttpVerifier;

/**
 * An environment whose url is https, on the infra's production host: real sshd, nginx and Docker.
 * nginx serves the host's certificate (signed by the infra's CA) with HTTP/2, redirects plain HTTP
 * to https, and the engine's verification trusts the CA through RELEASE_PROXY_CA only. The
 * example's E2E suite, sealed in the runner image, verifies the proxy with the container's copy of
 * that CA.
 */
class HttpsProxyIT {

  private static final String SERVICE = "tls" + (System.nanoTime() % 100000);
  private static final String ENV = "production";
  private static final EnvironmentSpec PLAIN = TestHosts.environment(ENV);
  private static final int PORT = PLAIN.hosts().get(0).nginxPort();
  private static final String URL = "https://127.0.0.1:" + PORT;
  private static final EnvironmentSpec SPEC =
      new EnvironmentSpec(
          URL, PLAIN.hosts(), PLAIN.slots(), PLAIN.healthPath(), PLAIN.rollbackWindow());

  private static TestActivityEnvironment activities;
  private static SSLContext withCa;
  private static ImageRef v1;
  private static ImageRef v2;
  private static DeployActivities deployer;
  private static SourceSpec source;
  private static E2eActivities e2eWithCa;
  private static TestActivityEnvironment withoutCaEnv;
  private static E2eActivities e2eWithoutCa;

  @BeforeAll
  static void deployOverHttps() {
    withCa = ExtraCas.fromEnvironment(System.getenv(), "RELEASE_PROXY_CA");
    activities = TestActivityEnvironment.newInstance();
    HostDirectory hosts = HostDirectory.load(Path.of(Infra.env("RELEASE_HOSTS_FILE")));
    SealedRunner sealed =
        new SealedRunner(new DockerEngine(Infra.dockerHost()), SecretRedactor.none());
    activities.registerActivitiesImplementations(
        new ImageBuilder(new DockerEngine(Infra.dockerHost())),
        new BlueGreenDeployer(hosts, new SshConnections()),
        new E2eRunner(sealed, ContainerCa.fromEnvironment(System.getenv(), "RELEASE_PROXY_CA")));
    withoutCaEnv = TestActivityEnvironment.newInstance();
    withoutCaEnv.registerActivitiesImplementations(new E2eRunner(sealed));
    ActivityOptions once =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(5))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    deployer = activities.newActivityStub(DeployActivities.class, once);
    BuildActivities builder = activities.newActivityStub(BuildActivities.class, once);
    e2eWithCa = activities.newActivityStub(E2eActivities.class, once);
    e2eWithoutCa = withoutCaEnv.newActivityStub(E2eActivities.class, once);
    ExampleRepo repo = ExampleRepo.create();
    source = new SourceSpec(repo.dir().toString(), ".", "Dockerfile");
    ImageSpec image = new ImageSpec(Infra.registry() + "/" + SERVICE);
    v1 = builder.buildImage(new BuildRequest(SERVICE, repo.commit("", "v1"), source, image));
    v2 = builder.buildImage(new BuildRequest(SERVICE, repo.commit("", "v2"), source, image));
    deployer.deploy(new SlotTarget(SERVICE, ENV, SPEC, Slot.BLUE, v1));
  }

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE, ENV);
    activities.close();
    withoutCaEnv.close();
  }

  private static HttpResponse<String> get(HttpClient client, String url) throws Exception {
    return client.send(
        HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(),
        HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void httpsAnswersOverHttp2AndASwitchKeepsItServing() throws Exception {
    HttpResponse<String> version = get(HttpVerifier.client(withCa), URL + "/version");
    assertEquals(200, version.statusCode());
    assertEquals(HttpClient.Version.HTTP_2, version.version());
    assertEquals(v1.sha(), version.body().trim());

    deployer.deploy(new SlotTarget(SERVICE, ENV, SPEC, Slot.GREEN, v2));
    assertEquals(v2.sha(), get(HttpVerifier.client(withCa), URL + "/version").body().trim());
  }

  @Test
  void plainHttpIsRedirectedToHttps() throws Exception {
    HttpResponse<String> plain =
        get(HttpClient.newHttpClient(), "http://127.0.0.1:" + PORT + "/version?x=1");
    assertEquals(301, plain.statusCode());
    assertEquals(
        URL + "/version?x=1", plain.headers().firstValue("Location").orElse("no Location"));
  }

  @Test
  void aClientWithoutTheCaIsRefused() {
    assertThrows(
        SSLHandshakeException.class, () -> get(HttpClient.newHttpClient(), URL + "/version"));
  }

  @Test
  void theVerificationStepTrustsTheCaItIsGivenOnly() throws Exception {
    String sha = get(HttpVerifier.client(withCa), URL + "/version").body().trim();
    GateResult trusted =
        new HttpVerifier(withCa).verify(new VerifyRequest(SERVICE, sha, ENV, SPEC));
    assertTrue(trusted.passed(), trusted.summary());
    assertTrue(trusted.summary().contains("through " + URL), trusted.summary());
    GateResult untrusted = new HttpVerifier().verify(new VerifyRequest(SERVICE, sha, ENV, SPEC));
    assertFalse(untrusted.passed(), untrusted.summary());
    assertTrue(untrusted.summary().startsWith(URL + " did not answer"), untrusted.summary());
  }

  @Test
  void theE2eSuiteVerifiesTheProxyWithTheCaAndFailsClearlyWithout() throws Exception {
    String sha = get(HttpVerifier.client(withCa), URL + "/version").body().trim();
    E2eSpec suite =
        new E2eSpec("java e2e/HelloE2e.java", "e2e-results", Duration.ofMinutes(2))
            .withRunner(Infra.gateRunner());

    GateResult trusted = e2eWithCa.runSuite(new E2eRequest(SERVICE, sha, source, suite, URL));
    assertEquals("E2E passed against " + URL + ": 3 tests, 0 failed", trusted.summary());
    assertTrue(trusted.passed());

    GateResult untrusted = e2eWithoutCa.runSuite(new E2eRequest(SERVICE, sha, source, suite, URL));
    assertFalse(untrusted.passed(), untrusted.summary());
    assertTrue(
        untrusted
            .summary()
            .startsWith("E2E failed against " + URL + " (exit 1): 3 tests, 3 failed"),
        untrusted.summary());
    assertTrue(
        untrusted.summary().contains("unable to find valid certification path"),
        untrusted.summary());
    assertTrue(
        untrusted
            .summary()
            .endsWith(
                "(the worker has no RELEASE_PROXY_CA: the suite trusted only its image's"
                    + " authorities)"),
        untrusted.summary());
  }
}
