package org.releaseengine.ssh;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * What the tests of the commands sent to hosts share: a staging target and host, and running a
 * command with real sh, stand-in programs first on the PATH.
 */
public final class Shells {

  public static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  public static final String DIGEST = "sha256:" + "ab".repeat(32);
  public static final HostSpec HOST = new HostSpec("staging-1", "127.0.0.1", 2222, "deploy", 18080);
  public static final HostConfig CONFIG =
      new HostConfig(
          "staging-1",
          Path.of("/keys/id"),
          Path.of("/keys/known_hosts"),
          "unix:///var/tmp/infra/docker.sock",
          "/var/tmp/infra/hosts/staging/nginx");

  private Shells() {}

  public static SlotTarget target(String service, String image, String healthPath, Slot slot) {
    EnvironmentSpec spec =
        new EnvironmentSpec(
            "http://127.0.0.1:18080",
            List.of(HOST),
            new SlotPorts(18081, 18082),
            healthPath,
            java.time.Duration.ofMinutes(30));
    return new SlotTarget(service, "staging", spec, slot, new ImageRef(image, SHA, DIGEST));
  }

  /** What a command printed (standard output and error together) and its exit code. */
  public record Result(int code, String out) {}

  public static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), String.join(" ", command));
    return new Result(process.exitValue(), out);
  }

  /** {@code command} run by sh with {@code bin} first on the PATH and {@code stdin} (or none). */
  public static Result runWith(Path bin, String command, byte[] stdin) throws Exception {
    ProcessBuilder shell = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
    shell.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = shell.start();
    if (stdin != null) {
      p.getOutputStream().write(stdin);
    }
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(20, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }

  /**
   * Stand-in programs in {@code dir}/bin, each a shell script by name; {@code record} in one of
   * them appends its call (environment names first, then each argument in brackets) to {@code
   * dir}/calls.
   */
  public static Path standIns(Path dir, Map<String, String> programs) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    String record =
        "record() { { printf '%s' \"$*\"; for a do printf ' [%s]' \"$a\"; done; echo; } >> "
            + dir.resolve("calls")
            + "; }\n";
    for (var program : programs.entrySet()) {
      Path file = bin.resolve(program.getKey());
      Files.writeString(file, "#!/bin/sh\n" + record + program.getValue() + "\n");
      assertTrue(file.toFile().setExecutable(true));
    }
    return bin;
  }

  /** The calls the stand-ins recorded, one a line. */
  public static List<String> calls(Path dir) throws IOException {
    Path calls = dir.resolve("calls");
    return Files.exists(calls) ? Files.readAllLines(calls) : List.of();
  }

  public static String joined(List<String> lines) {
    return lines.stream().collect(Collectors.joining("\n"));
  }
}
