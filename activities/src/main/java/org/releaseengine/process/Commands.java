package org.releaseengine.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs a local program without a shell, with a timeout, keeping the tail of its output. */
public final class Commands {

  /** How a command ended: its exit code (-1 on timeout) and the last lines it printed. */
  public record Result(int exitCode, boolean timedOut, String tail) {
    public boolean ok() {
      return exitCode == 0 && !timedOut;
    }
  }

  private Commands() {}

  public static Result run(
      Path dir, Map<String, String> env, Duration timeout, List<String> command)
      throws IOException, InterruptedException {
    return run(dir, env, timeout, command, () -> {});
  }

  /**
   * As {@link #run(Path, Map, Duration, List)}, calling {@code tick} every few seconds while it
   * runs.
   */
  public static Result run(
      Path dir, Map<String, String> env, Duration timeout, List<String> command, Runnable tick)
      throws IOException, InterruptedException {
    ProcessBuilder builder =
        new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
    builder.environment().putAll(env);
    Process process = builder.start();
    OutputTail tail = new OutputTail(40);
    Thread reader = new Thread(() -> copy(process.getInputStream(), tail));
    reader.setDaemon(true);
    reader.start();
    long deadline = System.nanoTime() + timeout.toNanos();
    boolean finished = false;
    try {
      while (!finished && System.nanoTime() < deadline) {
        finished =
            process.waitFor(
                Math.min(2000, Math.max(1, (deadline - System.nanoTime()) / 1_000_000)),
                TimeUnit.MILLISECONDS);
        tick.run(); // a cancelled activity's heartbeat throws here: the finally ends the command
      }
    } finally {
      if (!finished) {
        process.descendants().forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        process.waitFor(5, TimeUnit.SECONDS);
      }
    }
    reader.join(2000);
    return new Result(finished ? process.exitValue() : -1, !finished, tail.toString());
  }

  private static void copy(InputStream in, OutputTail tail) {
    byte[] buffer = new byte[8192];
    try (in) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        tail.add(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
    } catch (IOException ignored) {
      // the process ended
    }
  }
}
