package org.releaseengine.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * The chaos suite's faults, each real (a process killed or frozen, a daemon stopped, a file broken)
 * and triggered on the worker's step line for the production host. A scenario releases a new
 * version under load, breaks something at its marker, lets the release end however it ends, then
 * checks that what each host serves is what release-cli history says is live, and that the next
 * release succeeds.
 */
public final class ChaosScenarios {

  /** A fault: what it breaks, the faults baked into the build, and the step that triggers it. */
  public record Scenario(String name, String faults, String marker, Fault fault) {}

  /** What a fault does once its marker shows; it may wait for the engine to react. */
  public interface Fault {
    void strike(ChaosRig rig) throws Exception;
  }

  /** How a scenario ended. */
  public record Outcome(
      String name,
      ReleaseState state,
      String inconsistency,
      long requests,
      long failedRequests,
      boolean nextReleaseOk,
      String detail) {
    public boolean consistent() {
      return inconsistency.isEmpty();
    }

    public String line() {
      return String.format(
          "%-45s release=%-11s consistent=%s requests=%d failed=%d next_release=%s%s",
          name,
          state,
          consistent() ? "yes" : "NO (" + inconsistency + ")",
          requests,
          failedRequests,
          nextReleaseOk ? "ok" : "FAILED",
          detail.isEmpty() ? "" : " " + detail);
    }
  }

  private static final String PRODUCTION = "production-1: ";
  private static final Duration MARKER_LIMIT = Duration.ofMinutes(2);

  private ChaosScenarios() {}

  /** Every scenario, the slow ones (a worker restart, a frozen connection) included. */
  public static List<Scenario> all() {
    return List.of(
        new Scenario(
            "worker killed -9 during the pull",
            "",
            PRODUCTION + "pull",
            ChaosRig::killAndRestartWorker),
        new Scenario(
            "worker killed -9 during the health check",
            "start_delay_s=4",
            PRODUCTION + "health-check",
            ChaosScenarios::killDuringHealthCheck),
        new Scenario(
            "worker killed -9 right after the nginx switch",
            "",
            PRODUCTION + "verify through nginx",
            ChaosRig::killAndRestartWorker),
        new Scenario(
            "worker killed -9 during the drain",
            "",
            PRODUCTION + "wait for the old nginx workers",
            ChaosRig::killAndRestartWorker),
        new Scenario(
            "production SSH connection frozen mid-command",
            "start_delay_s=4",
            PRODUCTION + "health-check",
            ChaosScenarios::freezeSshSessions),
        new Scenario(
            "production sshd stopped after the switch",
            "",
            PRODUCTION + "verify through nginx",
            ChaosScenarios::stopSshdAfterSwitch),
        fast().get(0),
        fast().get(1));
  }

  /** The scenarios quick enough for the integration tests. */
  public static List<Scenario> fast() {
    return List.of(
        new Scenario(
            "nginx -s reload fails once",
            "start_delay_s=2",
            PRODUCTION + "health-check",
            ChaosScenarios::breakReloadOnce),
        new Scenario(
            "verification through nginx fails",
            "start_delay_s=2",
            PRODUCTION + "health-check",
            ChaosScenarios::freezeNginxMaster));
  }

  /** Runs one scenario under load and checks the hosts against the engine afterwards. */
  public static Outcome run(ChaosRig rig, Scenario scenario, int requestsPerSecond)
      throws Exception {
    String live = rig.engineLive("production");
    String sha = rig.repo.commit(scenario.faults(), scenario.name() + " " + System.nanoTime());
    List<String> expected = new ArrayList<>(List.of(sha));
    if (live != null) {
      expected.add(live);
    }
    SlowRequests slow = new SlowRequests(rig);
    ReleaseState state;
    long requests;
    long failed;
    String firstFailure;
    try (LoadGenerator load =
        new LoadGenerator(
                rig.production.url() + "/hello",
                4,
                requestsPerSecond,
                Duration.ofMinutes(5),
                expected.toArray(String[]::new))
            .start()) {
      ReleaseWorkflow release = rig.start(sha);
      rig.awaitMarker(PRODUCTION + "read what nginx serves", MARKER_LIMIT);
      slow.start(); // long answers in flight when nginx switches: the drain has work
      rig.awaitMarker(scenario.marker(), MARKER_LIMIT);
      scenario.fault().strike(rig);
      ReleaseStatus done = rig.finish(release);
      state = done.state();
      Thread.sleep(1000);
      load.close();
      requests = load.sent() + slow.sent();
      failed = load.failed() + slow.failed();
      firstFailure = load.firstFailure() != null ? load.firstFailure() : slow.firstFailure();
    }
    String inconsistency = rig.inconsistency();
    boolean nextOk = false;
    // a failed request says what it met (a status, a timeout), beside the counts
    String detail = firstFailure == null ? "" : "first failure: " + firstFailure;
    try {
      ReleaseStatus next = rig.releaseNew("", "after " + scenario.name());
      nextOk = next.state() == ReleaseState.SUCCEEDED && rig.inconsistency().isEmpty();
      if (!nextOk) {
        detail = (detail + " next: " + next.state() + " " + next.reason()).trim();
      }
    } catch (RuntimeException e) {
      detail = (detail + " next: " + e.getMessage()).trim();
    }
    return new Outcome(scenario.name(), state, inconsistency, requests, failed, nextOk, detail);
  }

  private static void killDuringHealthCheck(ChaosRig rig) throws Exception {
    Thread.sleep(1000); // well inside the 4 s slow start
    rig.killAndRestartWorker();
  }

  /**
   * Freezes (SIGSTOP) the production sshd's session processes, so the connection in use hangs
   * mid-command; new connections still work. They are resumed once the release has moved on.
   */
  private static void freezeSshSessions(ChaosRig rig) throws Exception {
    String master = ChaosRig.readPid(rig.infraHost("production").resolve("sshd.pid"));
    List<String> sessions = descendants(master);
    for (String pid : sessions) {
      ChaosRig.run("kill", "-STOP", pid);
    }
    CompletableFuture.runAsync(
        () -> {
          try {
            rig.awaitMarker(PRODUCTION + "verify through nginx", Duration.ofMinutes(3));
          } catch (Exception | Error ignored) {
            // resumed below either way
          } finally {
            for (String pid : sessions) {
              try {
                ChaosRig.run("kill", "-CONT", pid);
              } catch (RuntimeException gone) {
                // the session ended
              }
            }
          }
        });
  }

  private static List<String> descendants(String pid) {
    List<String> all = new ArrayList<>();
    for (String child : ChaosRig.run("sh", "-c", "pgrep -P " + pid + " || true").split("\\s+")) {
      if (!child.isBlank()) {
        all.add(child);
        all.addAll(descendants(child));
      }
    }
    return all;
  }

  /** Stops the production host's sshd right after the switch; it comes back 8 s later. */
  private static void stopSshdAfterSwitch(ChaosRig rig) throws Exception {
    ChaosRig.run("bash", "scripts/infra.sh", "sshd-stop", "production");
    Thread.sleep(8000);
    ChaosRig.run("bash", "scripts/infra.sh", "sshd-start", "production");
  }

  /**
   * Moves nginx's pid file away before the switch, so that the switch's reload fails after the new
   * upstream is in place; the file comes back once the upstream changed, and the retry must reload
   * although the files already say the new slot.
   */
  private static void breakReloadOnce(ChaosRig rig) throws Exception {
    Path nginx = rig.infraHost("production").resolve("nginx");
    Path pid = nginx.resolve("nginx.pid");
    Path away = nginx.resolve("nginx.pid.away");
    Path upstream = nginx.resolve("upstreams/" + rig.service + ".conf");
    String before = Files.readString(upstream);
    Files.move(pid, away, StandardCopyOption.ATOMIC_MOVE);
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
      while (Files.readString(upstream).equals(before) && System.nanoTime() < deadline) {
        Thread.sleep(20);
      }
      Thread.sleep(500); // the attempt's reload fails on the missing pid file
    } finally {
      Files.move(away, pid, StandardCopyOption.ATOMIC_MOVE);
    }
  }

  /**
   * Freezes the production nginx master: its workers go on serving the old slot but it takes no
   * reload, so verification through nginx fails after the switch. It resumes once the engine has
   * put the upstream back.
   */
  private static void freezeNginxMaster(ChaosRig rig) throws Exception {
    Path nginx = rig.infraHost("production").resolve("nginx");
    String master = ChaosRig.readPid(nginx.resolve("nginx.pid"));
    Path upstream = nginx.resolve("upstreams/" + rig.service + ".conf");
    String before = Files.readString(upstream);
    ChaosRig.run("kill", "-STOP", master);
    try {
      long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
      boolean switched = false;
      while (System.nanoTime() < deadline) {
        String now = Files.readString(upstream);
        switched |= !now.equals(before);
        if (switched && now.equals(before)) {
          break; // put back: resume, and the pending reload reads the old slot again
        }
        Thread.sleep(20);
      }
    } finally {
      ChaosRig.run("kill", "-CONT", master);
    }
  }

  /** A few long answers (/slow) kept in flight through production's nginx. */
  private static final class SlowRequests {
    private final ChaosRig rig;
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong failed = new AtomicLong();
    private final AtomicReference<String> firstFailure = new AtomicReference<>();

    SlowRequests(ChaosRig rig) {
      this.rig = rig;
    }

    void start() {
      HttpClient http = HttpClient.newHttpClient();
      for (int i = 0; i < 3; i++) {
        sent.incrementAndGet();
        http.sendAsync(
                HttpRequest.newBuilder(URI.create(rig.production.url() + "/slow?ms=6000"))
                    .timeout(Duration.ofSeconds(30))
                    .build(),
                HttpResponse.BodyHandlers.ofString())
            .whenComplete(
                (response, error) -> {
                  if (error != null || response.statusCode() != 200) {
                    failed.incrementAndGet();
                    firstFailure.compareAndSet(
                        null, error != null ? error.toString() : "/slow " + response.statusCode());
                  }
                });
      }
    }

    long sent() {
      return sent.get();
    }

    long failed() {
      return failed.get();
    }

    String firstFailure() {
      return firstFailure.get();
    }
  }
}
