package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * release-worker's command line, in a process of its own (it exits): a bad argument is one line and
 * exit code 2, before anything starts or connects.
 */
class WorkerArgumentsTest {

  private record Exit(int code, String out, String err) {}

  @ParameterizedTest
  @ValueSource(
      strings = {
        "--bogus",
        "--bogus --dev-port 7234",
        "--dev --dev-port",
        "--dev --dev-port abc",
        "--dev-port 7234 extra",
        "--dev-port 7234"
      })
  void aBadCommandLineIsOneLineAndExitCodeTwo(String arguments) throws Exception {
    Exit exit = worker(arguments.split(" "));
    assertEquals(2, exit.code(), exit.toString());
    assertEquals(1, exit.err().lines().count(), exit.toString());
    assertTrue(exit.err().startsWith("release-worker: "), exit.toString());
    assertEquals("", exit.out(), exit.toString());
  }

  @Test
  void helpNamesEveryOption() throws Exception {
    Exit exit = worker("--help");
    assertEquals(0, exit.code(), exit.toString());
    assertTrue(exit.out().contains("--dev "), exit.out());
    assertTrue(exit.out().contains("--dev-port"), exit.out());
    assertTrue(exit.out().contains("TEMPORAL_ADDRESS"), exit.out());
  }

  /** Runs WorkerMain with nothing to connect to, and at most 30 s. */
  private static Exit worker(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(ProcessHandle.current().info().command().orElse("java"));
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(WorkerMain.class.getName());
    command.addAll(List.of(args));
    Path out = Files.createTempFile("worker-out", ".txt");
    Path err = Files.createTempFile("worker-err", ".txt");
    ProcessBuilder builder =
        new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile());
    builder.environment().put("TEMPORAL_ADDRESS", "127.0.0.1:1");
    builder.environment().remove("SLACK_SIGNING_SECRET");
    Process process = builder.start();
    try {
      assertTrue(
          process.waitFor(30, TimeUnit.SECONDS),
          "release-worker " + String.join(" ", args) + " did not exit");
      return new Exit(
          process.exitValue(),
          Files.readString(out, StandardCharsets.UTF_8),
          Files.readString(err, StandardCharsets.UTF_8));
    } finally {
      process.destroyForcibly();
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
    }
  }
}
