package org.releaseengine.bench;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.releaseengine.EngineNames;
import org.releaseengine.StandInNotifier;
import org.releaseengine.StandInPolicy;
import org.releaseengine.StandInStages;
import org.releaseengine.client.TemporalConnection;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.model.Stage;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.worker.DevEngine;
import org.releaseengine.worker.EngineWorker;
import org.releaseengine.worker.web.WorkerMetrics;

/**
 * Engine benchmark: N releases of N services at once through one worker on the embedded server, all
 * in this JVM, with activities that return at once and approvals sent as soon as a release waits.
 * Engine overhead per release = wall time - time inside activities - time the approval signal took
 * to be sent after the release began waiting (the harness's reaction, not the engine's).
 */
public final class EngineBench {

  /** Services whose E2E stage has just returned: their approval wait is about to begin. */
  static final Set<String> waitingSoon = ConcurrentHashMap.newKeySet();

  /** The stand-in stages (which time every call), telling the approver when E2E returns. */
  static final class BenchStages extends StandInStages {
    @Override
    public GateResult runSuite(E2eRequest request) {
      GateResult result = super.runSuite(request);
      waitingSoon.add(request.service());
      return result;
    }
  }

  static final BenchStages stages = new BenchStages();

  /** What one round measured; the CPU seconds are the worker's and the server's (-1: not known). */
  record Round(
      int succeeded,
      int failed,
      double totalS,
      List<Long> walls,
      List<Long> overheads,
      double workerCpuS,
      double serverCpuS) {}

  public static void main(String[] args) throws Exception {
    List<String> arguments = new ArrayList<>(List.of(args));
    boolean slack = arguments.remove("--slack");
    // --real ADDRESS: a real Temporal server there (bench/engine.sh starts bin/release-server);
    // --parked N: N more releases started first and left waiting for approval, in flight throughout
    String real = option(arguments, "--real");
    int parked = Integer.parseInt(Objects.requireNonNullElse(option(arguments, "--parked"), "0"));
    // --server-pid PID: the real server's process, whose CPU time each round reports;
    // --pace R: after the burst rounds, one more round whose releases arrive R per second
    String serverPid = option(arguments, "--server-pid");
    double pace = Double.parseDouble(Objects.requireNonNullElse(option(arguments, "--pace"), "0"));
    int releases = arguments.size() > 0 ? Integer.parseInt(arguments.get(0)) : 100;
    int warmups = arguments.size() > 1 ? Integer.parseInt(arguments.get(1)) : 1;
    // with --slack the notifier answers as if Slack were configured: every stage change sends a
    // notice
    StandInNotifier notifier = new StandInNotifier();
    notifier.disabled = !slack;
    AutoCloseable running;
    WorkflowClient client;
    WorkerMetrics metrics = null;
    if (real == null) {
      DevEngine engine = DevEngine.start(0, stages, notifier, new StandInPolicy());
      running = engine;
      client = engine.client();
    } else {
      // the SDK's own metrics, as the worker exports them: where a round's time went
      metrics = new WorkerMetrics(Duration.ofMillis(500));
      EngineWorker worker =
          EngineWorker.start(
              TemporalConnection.plaintext(real),
              "default",
              metrics.temporalScope(),
              stages,
              notifier,
              new StandInPolicy());
      running = worker;
      client = worker.client();
    }
    if (parked > 0) {
      park(client, parked);
    }
    Round round = null;
    Round paced = null;
    int failed = 0;
    for (int r = 0; r <= warmups + (pace > 0 ? 1 : 0); r++) {
      // each round releases a new sha of every service, like a day of CI on a long-running worker
      String sha = String.format("%040x", 0xabcdef00L + r);
      boolean isPaced = r > warmups;
      Map<String, Double> before = SdkMetrics.read(metrics);
      Round current = round(client, sha, releases, isPaced ? pace : 0, serverPid);
      failed += current.failed();
      System.out.printf(
          "%s round: %d releases in %.1f s, wall p50 %d ms p95 %d ms, overhead p50 %d ms p95 %d ms,"
              + " CPU %.1f s%s%n",
          isPaced
              ? String.format("paced (%.1f/s)", pace)
              : r < warmups ? "warm-up" : "measured (all at once)",
          current.succeeded(),
          current.totalS(),
          pct(current.walls(), 50),
          pct(current.walls(), 95),
          pct(current.overheads(), 50),
          pct(current.overheads(), 95),
          current.workerCpuS(),
          current.serverCpuS() < 0
              ? " (this JVM)"
              : String.format(" in the worker, %.1f s in the server", current.serverCpuS()));
      SdkMetrics.print(before, SdkMetrics.read(metrics));
      if (isPaced) {
        paced = current;
      } else {
        round = current;
      }
    }
    long rssMb = peakRssKb() / 1024;
    System.out.printf(
        "notifications: %s%n",
        slack ? "on (a notice per stage change, coalesced)" : "off (no Slack on the worker)");
    System.out.printf(
        "peak RSS of this JVM (%s): %d MB%n",
        real == null ? "server + worker + client" : "worker + client", rssMb);
    if (real == null) {
      System.out.printf(
          "releases=%d total_s=%.1f overhead_p50_ms=%d overhead_p95_ms=%d worker_rss_mb=%d%n",
          round.succeeded(),
          round.totalS(),
          pct(round.overheads(), 50),
          pct(round.overheads(), 95),
          rssMb);
    } else if (paced == null) {
      System.out.printf(
          "real_inflight=%d real_overhead_p50_ms=%d real_overhead_p95_ms=%d"
              + " real_worker_rss_mb=%d%n",
          parked + releases, pct(round.overheads(), 50), pct(round.overheads(), 95), rssMb);
    } else {
      // the overhead keys: releases arriving at the pace; the burst_ keys: all at once
      System.out.printf(
          "real_inflight=%d real_overhead_p50_ms=%d real_overhead_p95_ms=%d"
              + " real_worker_rss_mb=%d real_pace_per_s=%s real_burst_overhead_p50_ms=%d"
              + " real_burst_overhead_p95_ms=%d real_burst_total_s=%.1f"
              + " real_burst_cpu_ms_per_release=%d%n",
          parked + releases,
          pct(paced.overheads(), 50),
          pct(paced.overheads(), 95),
          rssMb,
          BigDecimal.valueOf(pace).stripTrailingZeros().toPlainString(),
          pct(round.overheads(), 50),
          pct(round.overheads(), 95),
          round.totalS(),
          Math.round((round.workerCpuS() + round.serverCpuS()) * 1000 / releases));
    }
    running.close();
    if (metrics != null) {
      metrics.close();
    }
    System.exit(failed == 0 ? 0 : 1);
  }

  static String option(List<String> arguments, String name) {
    int i = arguments.indexOf(name);
    if (i < 0) {
      return null;
    }
    arguments.remove(i);
    return arguments.remove(i);
  }

  /**
   * Starts N releases of services of their own that stay waiting for approval, and waits until they
   * do.
   */
  static void park(WorkflowClient client, int n) throws InterruptedException {
    String sha = "f".repeat(40);
    long t0 = System.nanoTime();
    List<ReleaseWorkflow> all = new ArrayList<>();
    List<String> services = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      String service = String.format("parked-%04d", i);
      services.add(service);
      ReleaseWorkflow stub =
          client.newWorkflowStub(
              ReleaseWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(EngineNames.releaseId(service, sha))
                  .setTaskQueue(EngineNames.TASK_QUEUE)
                  .build());
      WorkflowClient.start(stub::run, new ReleaseRequest(spec(service), sha, "bench"));
      all.add(stub);
    }
    // asks each release once its E2E stage has returned, not over and over before: every query is
    // a workflow task on the worker (a full replay when the release has left the worker's cache)
    while (!waitingSoon.containsAll(services)) {
      sleep(200);
    }
    for (ReleaseWorkflow release : all) {
      while (release.status().state() != ReleaseState.AWAITING_APPROVAL) {
        sleep(50);
      }
    }
    waitingSoon.clear();
    System.out.printf(
        "%d releases waiting for approval, started in %.1f s%n", n, (System.nanoTime() - t0) / 1e9);
  }

  /**
   * One round: {@code releases} releases started all at once ({@code pace} 0) or {@code pace} per
   * second.
   */
  static Round round(WorkflowClient client, String sha, int releases, double pace, String serverPid)
      throws Exception {
    Map<String, Long> startNanos = new ConcurrentHashMap<>();
    Map<String, Long> endNanos = new ConcurrentHashMap<>();
    Map<String, Long> approvalSentMs = new ConcurrentHashMap<>();
    Map<String, ReleaseStatus> results = new ConcurrentHashMap<>();
    List<CompletableFuture<?>> done = new ArrayList<>();
    double workerCpu0 = cpuSeconds("self");
    double serverCpu0 = serverPid == null ? 0 : cpuSeconds(serverPid);
    Thread approver = new Thread(() -> approveWhenWaiting(client, sha, approvalSentMs, releases));
    approver.setDaemon(true);
    long t0 = System.nanoTime();
    for (int i = 0; i < releases; i++) {
      if (pace > 0) {
        sleep(Math.max(0, (t0 + (long) (i / pace * 1e9) - System.nanoTime()) / 1_000_000));
      }
      String service = String.format("svc-%03d", i);
      ReleaseWorkflow stub =
          client.newWorkflowStub(
              ReleaseWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(EngineNames.releaseId(service, sha))
                  .setTaskQueue(EngineNames.TASK_QUEUE)
                  .build());
      startNanos.put(service, System.nanoTime());
      WorkflowClient.start(stub::run, new ReleaseRequest(spec(service), sha, "bench"));
      done.add(
          WorkflowStub.fromTyped(stub)
              .getResultAsync(ReleaseStatus.class)
              .thenAccept(
                  status -> {
                    endNanos.put(service, System.nanoTime());
                    results.put(service, status);
                  }));
      if (i == 0) {
        approver.start();
      }
    }
    CompletableFuture.allOf(done.toArray(CompletableFuture[]::new)).get(10, TimeUnit.MINUTES);
    double totalS = (System.nanoTime() - t0) / 1e9;
    double workerCpuS = cpuSeconds("self") - workerCpu0;
    double serverCpuS = serverPid == null ? -1 : cpuSeconds(serverPid) - serverCpu0;

    List<Long> overheads = new ArrayList<>();
    List<Long> walls = new ArrayList<>();
    int failed = 0;
    for (var entry : results.entrySet()) {
      String service = entry.getKey();
      ReleaseStatus status = entry.getValue();
      if (status.state() != ReleaseState.SUCCEEDED) {
        failed++;
        System.out.println(service + " " + status.state() + ": " + status.reason());
        continue;
      }
      long wallMs = (endNanos.get(service) - startNanos.get(service)) / 1_000_000;
      long inActivitiesMs = inActivitiesNanos(service, sha) / 1_000_000;
      long reactionMs =
          Math.max(0, approvalSentMs.get(service) - status.stage(Stage.APPROVAL).startedAtMs());
      walls.add(wallMs);
      overheads.add(wallMs - inActivitiesMs - reactionMs);
    }
    Collections.sort(overheads);
    Collections.sort(walls);
    return new Round(walls.size(), failed, totalS, walls, overheads, workerCpuS, serverCpuS);
  }

  /** User and system CPU time of a process so far ({@code self}: this JVM), in seconds. */
  static double cpuSeconds(String pid) throws IOException {
    String stat = Files.readString(Path.of("/proc", pid, "stat"));
    // fields after the command name, which is in parentheses: utime and stime are 14th and 15th
    String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
  }

  /** Queries only releases whose E2E stage just returned, and approves each as soon as it waits. */
  static void approveWhenWaiting(
      WorkflowClient client, String sha, Map<String, Long> sentMs, int total) {
    while (sentMs.size() < total) {
      for (String service : List.copyOf(waitingSoon)) {
        ReleaseWorkflow release =
            client.newWorkflowStub(ReleaseWorkflow.class, EngineNames.releaseId(service, sha));
        if (release.status().state() == ReleaseState.AWAITING_APPROVAL) {
          release.approve(new Approval("approver", null));
          sentMs.put(service, System.currentTimeMillis());
          waitingSoon.remove(service);
        }
      }
      sleep(5);
    }
  }

  static ReleaseSpec spec(String service) {
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    for (String env : List.of("staging", "production")) {
      envs.put(
          env,
          new EnvironmentSpec(
              "http://127.0.0.1:18080",
              List.of(new HostSpec(env + "-1", "127.0.0.1", 22, "deploy", 18080)),
              new SlotPorts(18081, 18082),
              "/healthz",
              Duration.ofMinutes(30)));
    }
    return new ReleaseSpec(
        service,
        new SourceSpec("/src", ".", "Dockerfile"),
        new ImageSpec("127.0.0.1:5000/" + service),
        new ApprovalPolicy(List.of("approver"), 1, false, Duration.ofHours(1)),
        envs,
        List.of(
            new ScannerSpec(
                "sast",
                "true",
                "report.sarif",
                ReportFormat.SARIF,
                ScannerSpec.FailOn.ERROR,
                Duration.ofMinutes(1),
                List.of())),
        new E2eSpec("true", null, Duration.ofMinutes(1)),
        null);
  }

  /** The time this release of {@code service} spent inside the stand-in activities. */
  static long inActivitiesNanos(String service, String sha) {
    return stages.calls.stream()
        .filter(c -> c.service().equals(service) && sha.equals(c.sha()))
        .mapToLong(c -> c.endNanos() - c.startNanos())
        .sum();
  }

  static long pct(List<Long> sorted, int p) {
    return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p / 100.0 * sorted.size()) - 1));
  }

  static long peakRssKb() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM:")) {
        return Long.parseLong(line.replaceAll("\\D", ""));
      }
    }
    return -1;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
