package org.releaseengine.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.it.Infra;
import org.releaseengine.it.LoadGenerator;

/** bin/release-cli as a person or CI runs it, a fresh process each time, against a bench engine. */
final class ReleaseCliRuns {

  private ReleaseCliRuns() {}

  /** The launcher with {@code args}, pointed at the engine's Temporal server. */
  static ProcessBuilder process(BenchEngine engine, String... args) {
    List<String> command = new ArrayList<>();
    command.add(Infra.ROOT.resolve("bin/release-cli").toString());
    command.addAll(List.of(args));
    ProcessBuilder cli = new ProcessBuilder(command).redirectErrorStream(true);
    cli.environment().put("TEMPORAL_ADDRESS", engine.address);
    cli.environment().remove("TEMPORAL_UI_ADDRESS");
    return cli;
  }

  /**
   * Rolls production of {@code service} back to {@code sha}, signed with {@code key}: the ms from
   * invoking the CLI to the first answer of {@code sha} under {@code load}.
   */
  static long rollback(
      BenchEngine engine, LoadGenerator load, String service, String sha, String key)
      throws Exception {
    load.watchFor(sha);
    ProcessBuilder cli =
        process(
            engine,
            "rollback",
            "--service",
            service,
            "--env",
            "production",
            "--sha",
            sha,
            "--key",
            key);
    long start = System.nanoTime();
    Process process = cli.start();
    long ms = (load.awaitWatched(Duration.ofSeconds(60)) - start) / 1_000_000;
    byte[] output = process.getInputStream().readAllBytes();
    if (process.waitFor() != 0) {
      throw new IllegalStateException(
          "release-cli rollback to " + sha + " failed: " + new String(output));
    }
    Thread.sleep(300);
    return ms;
  }
}
