package org.releaseengine.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.releaseengine.EngineNames;
import org.releaseengine.TestSigners;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ReleaseSpec;

/**
 * bench/cli.sh: how fast bin/release-cli answers, as a person or CI runs it: {@code --help}, {@code
 * status} of a finished release, and {@code rollback} (signed with an SSH key the operator policy
 * trusts) from invoking the CLI to the first answer of the old version in production, alternating
 * between two releases so that every rollback switches. Each a fresh process, as from a shell; one
 * unmeasured run of each first (the page cache, not the JVM, is what that warms).
 */
public final class CliBench {

  private static final String SERVICE = "clibench";
  private static final int STATUS_RUNS = 15;
  private static final int HELP_RUNS = 10;
  private static final int ROLLBACK_RUNS = 10;

  private CliBench() {}

  public static void main(String[] args) throws Exception {
    EnvironmentSpec staging = TestHosts.environment("staging");
    EnvironmentSpec production = TestHosts.environment("production");
    ExampleRepo repo = ExampleRepo.create();
    String v1 = repo.commit("", "v1");
    String v2 = repo.commit("", "v2");
    TestSigners signers =
        TestSigners.create(Path.of("target/bench-signers").toAbsolutePath(), List.of("bench"));
    try (BenchEngine engine = new BenchEngine()) {
      ReleaseSpec spec = BenchEngine.spec(SERVICE, repo.dir(), staging, production);
      engine.release(spec, v1);
      engine.release(spec, v2); // v2 live, v1 warm
      engine.allowedSigners = signers.allowedSignersFile();
      System.out.println("released " + v1 + " and " + v2 + " to " + production.url());

      String released = EngineNames.releaseId(SERVICE, v2);
      List<Long> help = timed(engine, HELP_RUNS, "--help");
      List<Long> status = timed(engine, STATUS_RUNS, "status", released);

      LoadGenerator load =
          new LoadGenerator(production.url() + "/hello", 2, 400, Duration.ofMinutes(5), v1, v2)
              .start();
      List<Long> rollbacks = new ArrayList<>();
      String key = signers.key("bench").toString();
      ReleaseCliRuns.rollback(
          engine, load, SERVICE, v1, key); // unmeasured: production is on v1 after it
      for (int i = 0; i < ROLLBACK_RUNS; i++) {
        rollbacks.add(ReleaseCliRuns.rollback(engine, load, SERVICE, i % 2 == 0 ? v2 : v1, key));
      }
      load.close();
      if (load.failed() > 0) {
        System.out.println(
            "load: " + load.failed() + " failed requests (first: " + load.firstFailure() + ")");
      }

      System.out.println("release-cli --help ms: " + help);
      System.out.println("release-cli status " + released + " ms: " + status);
      System.out.println(
          "release-cli rollback ms (invoked to first answer of the old version): " + rollbacks);
      System.out.printf(
          "cli status_ms_p50=%d status_ms_p95=%d help_ms_p50=%d cli_rollback_ms_p50=%d"
              + " cli_rollback_ms_max=%d%n",
          percentile(status, 50),
          percentile(status, 95),
          percentile(help, 50),
          percentile(rollbacks, 50),
          Collections.max(rollbacks));
    } finally {
      TestHosts.cleanUp(SERVICE);
    }
    System.exit(0);
  }

  /** Runs bin/release-cli with {@code args} once unmeasured, then {@code runs} times; each ms. */
  private static List<Long> timed(BenchEngine engine, int runs, String... args) throws Exception {
    List<Long> ms = new ArrayList<>();
    for (int i = 0; i <= runs; i++) {
      long start = System.nanoTime();
      Process process = ReleaseCliRuns.process(engine, args).start();
      byte[] output = process.getInputStream().readAllBytes();
      int code = process.waitFor();
      long took = (System.nanoTime() - start) / 1_000_000;
      if (code != 0) {
        throw new IllegalStateException(
            "release-cli " + String.join(" ", args) + " exit " + code + ": " + new String(output));
      }
      if (i > 0) {
        ms.add(took);
      }
    }
    return ms;
  }

  /** The value at {@code p} percent of the sorted values (nearest rank). */
  static long percentile(List<Long> values, int p) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    int rank = (int) Math.ceil(p / 100.0 * sorted.size());
    return sorted.get(Math.max(0, rank - 1));
  }
}
