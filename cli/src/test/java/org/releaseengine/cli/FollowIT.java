package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.cli.LiveEngine.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.cli.LiveEngine.Run;

/**
 * {@code start --follow} and {@code watch}: they follow a release by long polls on its history, so
 * each change shows once and the end shows as soon as it happens, with stand-in stages.
 */
class FollowIT {

  private static final String SHA = "fffffff333333333333333333333333333333333";

  /** Far below the server's long-poll interval (20 s), which a missed wake-up would wait out. */
  private static final Duration PROMPT = Duration.ofSeconds(8);

  private static LiveEngine engine;

  @TempDir Path dir;

  @BeforeAll
  static void startEngine() {
    engine = new LiveEngine();
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  @Test
  void startFollowShowsEachStageOnceAndEndsWithTheOutcome() throws Exception {
    Path config = ReleaseYaml.write(dir, ReleaseYaml.valid("followed", ""));
    CompletableFuture<Run> following =
        CompletableFuture.supplyAsync(
            () ->
                cli(
                    "start",
                    "--config",
                    config.toString(),
                    "--sha",
                    SHA,
                    "--follow",
                    "--as",
                    "dave"));
    String id = EngineNames.releaseId("followed", SHA);
    awaitState(id, "AWAITING_APPROVAL");
    Thread.sleep(1000); // the follower is in its long poll now
    long approved = System.nanoTime();
    Run approve = cli("approve", id, "--key", engine.key("bob"));
    assertEquals(0, approve.exitCode(), approve.toString());

    Run done = following.get(60, TimeUnit.SECONDS);
    assertTrue(
        System.nanoTime() - approved < PROMPT.toNanos() + Duration.ofSeconds(5).toNanos(),
        "the follower saw the end promptly");
    assertEquals(0, done.exitCode(), done.toString());
    String out = done.out();
    assertEquals(
        1,
        out.lines()
            .filter(l -> l.equals("waiting for approval: release-cli approve " + id))
            .count(),
        out);
    for (String stage : new String[] {"build", "approval", "deploy production"}) {
      assertEquals(
          1,
          out.lines().filter(l -> l.matches(".*Z  " + stage + " +SUCCEEDED .*")).count(),
          stage + " succeeded once in\n" + out);
    }
    assertTrue(out.strip().endsWith("(approved by bob)"), out);
  }

  @Test
  void watchEndsAsSoonAsTheReleaseIsAborted() throws Exception {
    Path config = ReleaseYaml.write(dir, ReleaseYaml.valid("watched", ""));
    Run start = cli("start", "--config", config.toString(), "--sha", SHA, "--as", "dave");
    assertEquals(0, start.exitCode(), start.toString());
    String id = EngineNames.releaseId("watched", SHA);
    awaitState(id, "AWAITING_APPROVAL");
    CompletableFuture<Run> watching = CompletableFuture.supplyAsync(() -> cli("watch", id));
    Thread.sleep(1500); // the watch is in its long poll now
    long aborted = System.nanoTime();
    Run abort = cli("abort", id, "--reason", "not today", "--key", engine.key("erin"));
    assertEquals(0, abort.exitCode(), abort.toString());

    Run watch = watching.get(60, TimeUnit.SECONDS);
    long ms = (System.nanoTime() - aborted) / 1_000_000;
    assertTrue(ms < PROMPT.toMillis(), "watch ended " + ms + " ms after the abort");
    assertEquals(3, watch.exitCode(), watch.toString());
    assertEquals(
        id + " ABORTED at stage approval: aborted by erin: not today", watch.err().strip());
    assertTrue(
        watch.out().contains("waiting for approval: release-cli approve " + id), watch.out());
  }

  /** Polls `release-cli status ID` until its first line ends with the state (30 s at most). */
  private static void awaitState(String id, String state) throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!cli("status", id).out().lines().findFirst().orElse("").endsWith("  " + state)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never reached " + state);
      }
      Thread.sleep(100);
    }
  }
}
