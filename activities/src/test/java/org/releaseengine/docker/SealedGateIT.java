package org.releaseengine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.github.dockerjava.api.DockerClient;
import com.sun.net.httpserver.HttpServer;
import io.temporal.activity.ActivityOptions;
import io.temporal.common.RetryOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.e2e.E2eRunner;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.ScannerSpec.FailOn;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.process.SecretRedactor;
import org.releaseengine.scan.ScanRunner;
import org.releaseengine.stage.E2eActivities;
import org.releaseengine.stage.E2eActivities.E2eRequest;
import org.releaseengine.stage.ScanActivities;
import org.releaseengine.stage.ScanActivities.ScanRequest;

/**
 * Gate commands run sealed: the real scan and E2E activities, with real Docker, run
 * bench/attacks/gate-probe.sh from the released commit. It looks for the worker's environment (this
 * JVM holds SLACK_BOT_TOKEN, as the worker does), the hosts file and SSH keys the worker uses, the
 * Docker socket DOCKER_HOST names, and tries production's sshd (127.0.0.1:2223, and at the
 * container's gateway); it finds nothing, while the command runs, sees RELEASE_SHA and its declared
 * variables, and the E2E suite reaches its environment's URL.
 */
class SealedGateIT {

  private static final String TOKEN = System.getenv("SLACK_BOT_TOKEN");
  private static final String PROBE =
      "out=$(sh probe.sh %s | tr '\\n' ' '); "
          + "echo \"probe: ${out:-sealed} sha=$RELEASE_SHA declared=$GATE_DECLARED\"";

  private static TestActivityEnvironment env;
  private static ScanActivities scan;
  private static E2eActivities e2e;
  private static ExampleRepo repo;
  private static String sha;
  private static HttpServer environment;
  private static String environmentUrl;
  private static DockerClient docker;

  @BeforeAll
  static void setUp() throws IOException {
    assertTrue(TOKEN != null && TOKEN.length() > 20, "failsafe gives this JVM a SLACK_BOT_TOKEN");
    DockerEngine engine = new DockerEngine(Infra.dockerHost());
    docker = engine.client();
    SealedRunner sealed = new SealedRunner(engine, SecretRedactor.of(List.of(TOKEN)));
    env = TestActivityEnvironment.newInstance();
    env.registerActivitiesImplementations(new ScanRunner(sealed), new E2eRunner(sealed));
    ActivityOptions once =
        ActivityOptions.newBuilder()
            .setStartToCloseTimeout(Duration.ofMinutes(3))
            .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
            .build();
    scan = env.newActivityStub(ScanActivities.class, once);
    e2e = env.newActivityStub(E2eActivities.class, once);
    repo = ExampleRepo.create();
    repo.commit("", "v1");
    sha =
        repo.commitFile(
            "probe.sh",
            Files.readString(Infra.ROOT.resolve("bench/attacks/gate-probe.sh")),
            "add the probe");
    // the environment: a server on the worker's loopback, as the hosts' nginx are
    environment = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    environment.createContext(
        "/",
        exchange -> {
          byte[] body =
              ("environment answers " + exchange.getRequestURI().getPath() + "\n")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(200, body.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        });
    environment.start();
    environmentUrl = "http://127.0.0.1:" + environment.getAddress().getPort();
  }

  @AfterAll
  static void tearDown() {
    environment.stop(0);
    env.close();
  }

  /** What the worker holds that a gate must not reach, as the probe's targets. */
  private static String targets() {
    String socket = Infra.dockerHost();
    return String.join(
        " ",
        Infra.env("RELEASE_HOSTS_FILE"),
        Infra.dir().resolve("keys").toString(),
        Infra.dir().toString(),
        socket,
        Path.of(System.getProperty("user.home")).resolve(".m2").toString(),
        "127.0.0.1:2223",
        "127.0.0.1:2222");
  }

  private static final Map<String, String> DECLARED =
      Map.of("GATE_DECLARED", "declared-value", "GATE_PROBE_ALLOW", "GATE_DECLARED");

  @Test
  void theProbeFindsWhatACommandOnTheWorkerSees() throws Exception {
    List<String> command = new ArrayList<>(List.of("sh", "bench/attacks/gate-probe.sh"));
    command.addAll(List.of(targets().split(" ")));
    ProcessBuilder unsealed =
        new ProcessBuilder(command).directory(Infra.ROOT.toFile()).redirectErrorStream(true);
    Process p = unsealed.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertEquals(0, p.waitFor());
    for (String leak :
        List.of(
            "LEAK env SLACK_BOT_TOKEN",
            "LEAK env DOCKER_HOST",
            "LEAK env RELEASE_HOSTS_FILE",
            "LEAK user root",
            "LEAK file " + Infra.env("RELEASE_HOSTS_FILE"),
            "LEAK file " + Infra.dir().resolve("keys"),
            "LEAK docker-socket " + Infra.dockerHost().substring("unix://".length()),
            "LEAK tcp 127.0.0.1:2223")) {
      assertTrue(out.lines().anyMatch(leak::equals), leak + " not in:\n" + out);
    }
  }

  @Test
  void aScannerSeesTheCheckoutAndItsDeclaredVariablesAndNothingOfTheWorker() {
    GateResult result =
        scan.scan(
            request(
                scanner(
                    PROBE.formatted(targets()) + "; exit 3",
                    Map.of(
                        "GATE_DECLARED", "declared-value",
                        "GATE_PROBE_ALLOW", "GATE_DECLARED",
                        "GATE_PROBE_OFFLINE", "1"),
                    GateNetwork.NONE,
                    Duration.ofMinutes(2))));
    assertEquals(
        "probe (sarif): FAILED: crashed (exit 3) without writing r.sarif; last output: probe: sealed sha="
            + sha
            + " declared=declared-value",
        result.summary());
  }

  @Test
  void aScannerThatAsksForTheNetworkGetsABridgeButNotTheWorkersLoopback() {
    GateResult result =
        scan.scan(
            request(
                scanner(
                    PROBE.formatted(targets()) + "; exit 3",
                    Map.of(
                        "GATE_DECLARED", "d",
                        "GATE_PROBE_ALLOW", "GATE_DECLARED",
                        "GATE_PROBE_OFFLINE", "1"),
                    GateNetwork.OUTBOUND,
                    Duration.ofMinutes(2))));
    // the probe's offline check shows the network is there; nothing of the worker is reached
    assertEquals(
        "probe (sarif): FAILED: crashed (exit 3) without writing r.sarif; last output: probe: LEAK"
            + " network route  sha="
            + sha
            + " declared=d",
        result.summary());
  }

  @Test
  void theE2eSuiteReachesItsEnvironmentAndNothingElseOfTheWorker() {
    E2eSpec suite =
        new E2eSpec(
            PROBE.formatted(targets())
                + "; echo \"reached: $(wget -q -O- \"$BASE_URL/healthz\" 2>&1)\"; exit 1",
            null,
            Duration.ofMinutes(2),
            Infra.gateRunner(),
            DECLARED);
    GateResult result =
        e2e.runSuite(new E2eRequest("hello-app", sha, source(), suite, environmentUrl));
    assertEquals(
        "E2E failed against "
            + environmentUrl
            + " (exit 1); last output: probe: sealed sha="
            + sha
            + " declared=declared-value / reached: environment answers /healthz",
        result.summary());
    assertNoGateLeftovers();
  }

  @Test
  void outputIsCappedAndTheWorkersSecretsAreMasked() {
    GateResult result =
        scan.scan(
            request(
                scanner(
                    "echo \"$(printf 'x%.0s' $(seq 1 2000)) "
                        + TOKEN
                        + "\"; echo 'token "
                        + TOKEN
                        + " end'; exit 3",
                    Map.of(),
                    GateNetwork.NONE,
                    Duration.ofMinutes(2))));
    assertEquals(
        "probe (sarif): FAILED: crashed (exit 3) without writing r.sarif; last output: token "
            + SecretRedactor.MASK
            + " end",
        result.summary());
    assertFalse(result.summary().contains(TOKEN));
  }

  @Test
  void aCommandPastItsTimeoutIsKilledAndItsContainerRemoved() {
    long start = System.nanoTime();
    GateResult result =
        scan.scan(request(scanner("sleep 120", Map.of(), GateNetwork.NONE, Duration.ofSeconds(3))));
    assertEquals("probe (sarif): FAILED: timed out after 3s", result.summary());
    assertTrue(System.nanoTime() - start < Duration.ofSeconds(60).toNanos());
    assertNoGateLeftovers();
  }

  @Test
  void aScannerWithoutARunnerIsNotRun() {
    GateResult result =
        scan.scan(
            new ScanRequest(
                "hello-app",
                sha,
                source(),
                List.of(
                    new ScannerSpec(
                        "probe",
                        "true",
                        "r.sarif",
                        ReportFormat.SARIF,
                        FailOn.ERROR,
                        Duration.ofMinutes(1),
                        List.of()))));
    assertEquals(
        "probe (sarif): FAILED: not run: no runner image (release.yaml names one with runner:)",
        result.summary());
  }

  private static void assertNoGateLeftovers() {
    assertEquals(
        List.of(),
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(SealedRunner.LABEL, "1"))
            .exec());
    assertEquals(
        List.of(),
        docker.listNetworksCmd().withFilter("label", List.of(SealedRunner.LABEL + "=1")).exec());
  }

  private static SourceSpec source() {
    return new SourceSpec(repo.dir().toString(), ".", "Dockerfile");
  }

  private static ScanRequest request(ScannerSpec scanner) {
    return new ScanRequest("hello-app", sha, source(), List.of(scanner));
  }

  private static ScannerSpec scanner(
      String command, Map<String, String> declared, GateNetwork network, Duration timeout) {
    return new ScannerSpec(
        "probe",
        command,
        "r.sarif",
        ReportFormat.SARIF,
        FailOn.ERROR,
        timeout,
        List.of(),
        Infra.gateRunner(),
        declared,
        network);
  }
}
