package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.releaseengine.Specs;
import org.releaseengine.policy.TestPolicies;

/** The real launchers: bin/release-worker --dev serves bin/release-cli in another process. */
class DevModeIT {

  private static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath();

  record Result(int code, String out, String err) {}

  @Test
  void devWorkerServesTheCliInAnotherProcessWithinSeconds() throws Exception {
    int port = LiveEngine.freePort();
    String address = "127.0.0.1:" + port;
    Path policy = ROOT.resolve("cli/target/dev-worker-policy.yaml");
    Files.writeString(policy, TestPolicies.yaml(List.of(Specs.spec("shop")), List.of("alice")));
    ProcessBuilder launch =
        new ProcessBuilder(
                ROOT.resolve("bin/release-worker").toString(),
                "--dev",
                "--dev-port",
                String.valueOf(port))
            .redirectErrorStream(true)
            .redirectOutput(ROOT.resolve("cli/target/dev-worker.log").toFile());
    launch.environment().put("RELEASE_POLICY_FILE", policy.toString());
    Process worker = launch.start();
    try {
      long started = System.nanoTime();
      Result list = null;
      while (System.nanoTime() - started < TimeUnit.SECONDS.toNanos(60)) {
        list = cli(address, "list");
        if (list.code() == 0) {
          break;
        }
        assertEquals(5, list.code(), "only 'unreachable' is expected while it starts: " + list);
      }
      long ms = (System.nanoTime() - started) / 1_000_000;
      assertEquals(0, list.code(), list.toString());
      assertTrue(list.out().startsWith("SERVICE"), list.out());
      System.out.println("dev worker served the CLI " + ms + " ms after it was launched");

      Result unknown = cli(address, "status", "shop/1234567");
      assertEquals(2, unknown.code());
      assertEquals(
          List.of("release-cli: unknown release: no release of shop has a sha starting 1234567"),
          unknown.err().lines().toList());
    } finally {
      worker.destroy();
      worker.waitFor(20, TimeUnit.SECONDS);
    }
  }

  @Test
  void launcherPrintsOneLineForBadInputAndForAnUnreachableServer() throws Exception {
    Result badSha = cli("127.0.0.1:1", "start", "--config", "release.yaml", "--sha", "nothex");
    assertEquals(2, badSha.code());
    assertEquals(
        List.of("release-cli: malformed sha 'nothex': start needs the full 40-hex commit sha"),
        badSha.err().lines().toList());
    int closed = LiveEngine.freePort();
    Result down = cli("127.0.0.1:" + closed, "list");
    assertEquals(5, down.code());
    assertEquals(1, down.err().lines().count(), down.err());
    assertTrue(
        down.err().startsWith("release-cli: cannot reach Temporal at 127.0.0.1:" + closed),
        down.err());
  }

  private static Result cli(String address, String... args)
      throws IOException, InterruptedException {
    List<String> command =
        new java.util.ArrayList<>(List.of(ROOT.resolve("bin/release-cli").toString()));
    command.addAll(List.of(args));
    ProcessBuilder builder = new ProcessBuilder(command);
    builder.environment().put("TEMPORAL_ADDRESS", address);
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
    process.waitFor();
    return new Result(process.exitValue(), out, err);
  }
}
