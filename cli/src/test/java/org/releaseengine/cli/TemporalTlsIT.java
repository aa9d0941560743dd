package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.ServerUnderTest;
import org.releaseengine.TlsFrontDoor;
import org.releaseengine.TlsFrontDoor.Certificates;
import org.releaseengine.policy.TestPolicies;

/**
 * bin/release-cli and bin/release-worker through a real TLS endpoint: nginx in front of the real
 * Temporal dev server, requiring a client certificate from the test CA (and, on two of its doors,
 * an API key).
 */
class TemporalTlsIT {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath();
  private static final String API_KEY = "k3y-for-tests";
  private static final String SHA = "7150000000000000000000000000000000000001";

  record Result(int code, String out, String err) {}

  @TempDir static Path dir;
  private static ServerUnderTest server;
  private static Certificates certs;
  private static TlsFrontDoor mutualTls;
  private static TlsFrontDoor apiKeyOnly;
  private static TlsFrontDoor strict;

  @BeforeAll
  static void start() {
    assertTrue(
        ServerUnderTest.real(),
        "needs the real server (RELEASE_TEST_SERVER=real, as scripts/test.sh sets it)");
    server = ServerUnderTest.start();
    certs = TlsFrontDoor.certificates(dir.resolve("certs"));
    mutualTls = TlsFrontDoor.mutualTls(certs, server.address(), null);
    apiKeyOnly = TlsFrontDoor.apiKey(certs, server.address(), API_KEY);
    strict = TlsFrontDoor.mutualTls(certs, server.address(), API_KEY);
  }

  @AfterAll
  static void stop() {
    for (AutoCloseable c : new AutoCloseable[] {strict, apiKeyOnly, mutualTls, server}) {
      try {
        if (c != null) {
          c.close();
        }
      } catch (Exception ignored) {
        // the next one still stops
      }
    }
  }

  @Test
  void listWorksThroughMutualTlsWithTheClientCertificate() throws Exception {
    Result list = cli(mutualTls.address(), certs.clientEnvironment(), "list");
    assertEquals(0, list.code(), list.toString());
    assertTrue(list.out().startsWith("SERVICE"), list.out());

    // by another name for the same address: the certificate holds temporal.test, not localhost
    Map<String, String> named = new HashMap<>(certs.clientEnvironment());
    String localhost = mutualTls.address().replace("127.0.0.1", "localhost");
    assertOneLine(cli(localhost, named, "list"), 5, "release-cli: TLS handshake with Temporal");
    named.put("TEMPORAL_TLS_SERVER_NAME", Certificates.SERVER_NAME);
    Result byName = cli(localhost, named, "list");
    assertEquals(0, byName.code(), byName.toString());
  }

  @Test
  void withoutTheClientCertificateItFailsOnOneLineNamingTheCertificate() throws Exception {
    Result noCert =
        cli(mutualTls.address(), Map.of("TEMPORAL_TLS_CA", certs.ca().toString()), "list");
    String line = assertOneLine(noCert, 5, "release-cli: TLS: Temporal at " + mutualTls.address());
    assertTrue(line.contains("client certificate"), line);
    assertTrue(line.endsWith("set TEMPORAL_TLS_CERT and TEMPORAL_TLS_KEY"), line);

    Map<String, String> env = new HashMap<>(certs.clientEnvironment());
    env.put("TEMPORAL_TLS_CERT", certs.otherClientCertificate().toString());
    env.put("TEMPORAL_TLS_KEY", certs.otherClientKey().toString());
    String refused =
        assertOneLine(
            cli(mutualTls.address(), env, "list"),
            5,
            "release-cli: TLS: Temporal at " + mutualTls.address());
    assertTrue(refused.endsWith("it does not accept the one in TEMPORAL_TLS_CERT"), refused);
  }

  @Test
  void withTheWrongCaItFailsOnOneLineNamingTheCertificate() throws Exception {
    Map<String, String> env = new HashMap<>(certs.clientEnvironment());
    env.put("TEMPORAL_TLS_CA", certs.otherCa().toString());
    String line =
        assertOneLine(
            cli(mutualTls.address(), env, "list"),
            5,
            "release-cli: TLS handshake with Temporal at "
                + mutualTls.address()
                + " failed: the server's certificate is not signed by the CA in TEMPORAL_TLS_CA");

    // and the system's CAs do not know the test CA either
    assertOneLine(
        cli(mutualTls.address(), Map.of("TEMPORAL_TLS", "true"), "list"),
        5,
        "release-cli: TLS handshake with Temporal at "
            + mutualTls.address()
            + " failed: the server's certificate is not signed by a CA the system trusts");
  }

  @Test
  void aPlaintextClientIsToldTheEndpointSpeaksTls() throws Exception {
    assertOneLine(
        cli(mutualTls.address(), Map.of(), "list"),
        5,
        "release-cli: Temporal at "
            + mutualTls.address()
            + " answered in HTTP/1, not gRPC: a TLS endpoint does so to a plaintext client");
  }

  @Test
  void badSettingsAreExitCodeTwoBeforeAnyConnection() throws Exception {
    // a closed port: had the CLI connected first, it would have said "cannot reach" (exit 5)
    String closed = "127.0.0.1:" + ServerUnderTest.freePort();
    Path missing = dir.resolve("missing.key");
    Map<String, String> env = new HashMap<>(certs.clientEnvironment());
    env.put("TEMPORAL_TLS_KEY", missing.toString());
    assertEquals(
        List.of("release-cli: TEMPORAL_TLS_KEY: no file " + missing),
        assertCode(cli(closed, env, "list"), 2).err().lines().toList());

    env = new HashMap<>(certs.clientEnvironment());
    env.remove("TEMPORAL_TLS_KEY");
    assertEquals(
        List.of(
            "release-cli: TEMPORAL_TLS_CERT is set but TEMPORAL_TLS_KEY is not: a client"
                + " certificate needs its key"),
        assertCode(cli(closed, env, "list"), 2).err().lines().toList());

    env = new HashMap<>(certs.clientEnvironment());
    env.put("TEMPORAL_TLS_KEY", certs.serverKey().toString());
    assertEquals(
        List.of(
            "release-cli: TEMPORAL_TLS_KEY: "
                + certs.serverKey()
                + " is not the key of the certificate in TEMPORAL_TLS_CERT ("
                + certs.clientCertificate()
                + ")"),
        assertCode(cli(closed, env, "list"), 2).err().lines().toList());
  }

  @Test
  void anApiKeyIsSentAsABearerTokenAndItsAbsenceIsNamed() throws Exception {
    Map<String, String> env = new HashMap<>(Map.of("TEMPORAL_TLS_CA", certs.ca().toString()));
    env.put("TEMPORAL_API_KEY", API_KEY);
    Result list = cli(apiKeyOnly.address(), env, "list");
    assertEquals(0, list.code(), list.toString());
    assertTrue(list.out().startsWith("SERVICE"), list.out());

    env.put("TEMPORAL_API_KEY", "not-" + API_KEY);
    String wrong =
        assertOneLine(
            cli(apiKeyOnly.address(), env, "list"),
            5,
            "release-cli: Temporal at " + apiKeyOnly.address() + " refused the credentials");
    assertTrue(wrong.endsWith("check TEMPORAL_API_KEY"), wrong);
    assertFalse(wrong.contains(API_KEY), "the key is never printed: " + wrong);

    env.remove("TEMPORAL_API_KEY");
    String none =
        assertOneLine(
            cli(apiKeyOnly.address(), env, "list"),
            5,
            "release-cli: Temporal at " + apiKeyOnly.address() + " refused the credentials");
    assertTrue(none.endsWith("no TEMPORAL_API_KEY is set"), none);
  }

  /**
   * The worker polls through the strictest door (client certificate, PKCS#1 key, and API key): a
   * release started through the mutual-TLS door runs on that worker, the only one, until its build
   * stage fails (the image's registry is a closed port: three attempts, then FAILED).
   */
  @Test
  void theWorkerRunsAReleaseThroughTls() throws Exception {
    Map<String, String> workerEnv = new HashMap<>(certs.clientEnvironment());
    workerEnv.put("TEMPORAL_TLS_KEY", certs.clientRsaKey().toString());
    workerEnv.put("TEMPORAL_API_KEY", API_KEY);
    Path log = dir.resolve("worker.log");
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("bin/release-worker").toString())
            .redirectErrorStream(true)
            .redirectOutput(log.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    builder.environment().putAll(workerEnv);
    builder.environment().put("TEMPORAL_ADDRESS", strict.address());
    builder.environment().put("RELEASE_POLICY_FILE", policyFile().toString());
    Process worker = builder.start();
    try {
      String ready = awaitLine(log, "release-worker ready", worker);
      assertTrue(
          ready.contains("Temporal at " + strict.address())
              && ready.endsWith("(TLS with a client certificate and an API key)"),
          ready);

      Path config =
          Files.writeString(
              dir.resolve("release.yaml"),
              ReleaseYaml.valid("tlsapp", "").replace("127.0.0.1:5000/", "127.0.0.1:1/"));
      Map<String, String> env = certs.clientEnvironment();
      String id = EngineNames.releaseId("tlsapp", SHA);
      Result run =
          cli(
              mutualTls.address(),
              env,
              "start",
              "--config",
              config.toString(),
              "--sha",
              SHA,
              "--as",
              "dave",
              "--wait");
      assertEquals(1, run.code(), run.toString());
      assertTrue(run.out().startsWith("started " + id), run.out());
      assertTrue(run.err().startsWith(id + " FAILED"), run.err());

      Result status = cli(mutualTls.address(), env, "status", id);
      assertEquals(0, status.code(), status.toString());
      assertTrue(
          status
              .out()
              .lines()
              .anyMatch(l -> l.trim().matches("build\\s+FAILED.*127\\.0\\.0\\.1:1.*")),
          status.out());
    } finally {
      worker.destroy();
      worker.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void theWorkerSaysOnOneLineWhyItCannotConnect() throws Exception {
    Map<String, String> env = new HashMap<>(certs.clientEnvironment());
    env.put("TEMPORAL_TLS_CERT", dir.resolve("nowhere.pem").toString());
    Result bad = workerThatEnds(mutualTls.address(), env);
    assertEquals(
        List.of("release-worker: TEMPORAL_TLS_CERT: no file " + dir.resolve("nowhere.pem")),
        assertCode(bad, 2).err().lines().toList());

    env = new HashMap<>(certs.clientEnvironment());
    env.put("TEMPORAL_TLS_CA", certs.otherCa().toString());
    Result untrusted = workerThatEnds(mutualTls.address(), env);
    List<String> lines = assertCode(untrusted, 5).err().lines().toList();
    assertEquals(1, lines.size(), untrusted.toString());
    assertTrue(
        lines
            .get(0)
            .startsWith(
                "release-worker: cannot start: TLS handshake with Temporal at "
                    + mutualTls.address()
                    + " failed: the server's certificate is not signed by the CA in"
                    + " TEMPORAL_TLS_CA"),
        lines.get(0));
  }

  /** The workers' operator policy: dave may release tlsapp (ReleaseYaml's hosts), unsigned. */
  private static Path policyFile() throws Exception {
    Path release =
        Files.writeString(dir.resolve("policy-app.yaml"), ReleaseYaml.valid("tlsapp", ""));
    Path policy = dir.resolve("policy.yaml");
    Files.writeString(
        policy,
        TestPolicies.yaml(
            List.of(new org.releaseengine.spec.ReleaseSpecLoader().load(release)),
            List.of("dave")));
    return policy;
  }

  /** bin/release-worker that is expected to give up: its exit code, stdout and stderr. */
  private static Result workerThatEnds(String address, Map<String, String> env) throws Exception {
    Path out = Files.createTempFile(dir, "worker-", ".out");
    Path err = Files.createTempFile(dir, "worker-", ".err");
    ProcessBuilder builder =
        new ProcessBuilder(ROOT.resolve("bin/release-worker").toString())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile());
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    builder.environment().putAll(env);
    builder.environment().put("TEMPORAL_ADDRESS", address);
    builder.environment().put("RELEASE_POLICY_FILE", policyFile().toString());
    Process process = builder.start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError("the worker did not give up within 120 s: " + Files.readString(out));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }

  private static String awaitLine(Path log, String prefix, Process process) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
    while (System.nanoTime() < deadline) {
      if (Files.exists(log)) {
        for (String line : Files.readAllLines(log)) {
          if (line.startsWith(prefix)) {
            return line;
          }
        }
      }
      if (!process.isAlive()) {
        break;
      }
      Thread.sleep(100);
    }
    throw new AssertionError(
        "no '" + prefix + "' line; the worker said:\n" + Files.readString(log));
  }

  private static Result assertCode(Result result, int code) {
    assertEquals(code, result.code(), result.toString());
    return result;
  }

  /** One line on stderr, starting with {@code start}, no stack trace; returns it. */
  private static String assertOneLine(Result result, int code, String start) {
    assertCode(result, code);
    List<String> lines = result.err().lines().toList();
    assertEquals(1, lines.size(), "exactly one line on stderr: " + result.err());
    assertTrue(lines.get(0).startsWith(start), lines.get(0));
    assertFalse(lines.get(0).contains("Exception:"), lines.get(0));
    return lines.get(0);
  }

  /** bin/release-cli in a process of its own, with only the given Temporal variables. */
  private static Result cli(String address, Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of(ROOT.resolve("bin/release-cli").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().keySet().removeIf(name -> name.startsWith("TEMPORAL_"));
    builder.environment().putAll(env);
    builder.environment().put("TEMPORAL_ADDRESS", address);
    Path out = Files.createTempFile(dir, "cli-", ".out");
    Path err = Files.createTempFile(dir, "cli-", ".err");
    Process process = builder.redirectOutput(out.toFile()).redirectError(err.toFile()).start();
    if (!process.waitFor(120, TimeUnit.SECONDS)) {
      process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      throw new AssertionError(
          "release-cli "
              + String.join(" ", args)
              + " did not end within 120 s: "
              + Files.readString(out));
    }
    return new Result(process.exitValue(), Files.readString(out), Files.readString(err));
  }
}
