package org.releaseengine.bench;

import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * bench/analysis.sh, through the real engine with real Prometheus, nginx and Docker, under load
 * (1,000 req/s): bad versions (one request in five fails) released blue-green and as canaries at
 * 10%, timed from the measurement that passed the failure limit to the last answer of the bad
 * version (traffic fully back on the old one); and a healthy canary's share of answers at its 10%
 * step.
 */
public final class AnalysisBench {

  private static final String SERVICE = "analysisbench";
  private static final MetricCheck CHECK = Production.errorRatio(Duration.ofSeconds(1), 10, 1);
  private static final Duration WINDOW = Duration.ofMinutes(30);

  private AnalysisBench() {}

  public static void main(String[] args) throws Exception {
    ExampleRepo repo = ExampleRepo.create();
    String good = repo.commit("", "good");
    List<String> bad = new ArrayList<>();
    for (int i = 1; i <= 5; i++) {
      bad.add(repo.commit("error_rate=0.2", "bad " + i));
    }
    String canary = repo.commit("", "good canary");
    ReleaseSpec blueGreen = Production.spec(SERVICE, repo, WINDOW, CHECK);
    ReleaseSpec failingCanary =
        Production.spec(
            SERVICE, repo, WINDOW, CHECK, CanaryStep.setWeight(10), CanaryStep.analysis(List.of()));
    ReleaseSpec pausedCanary =
        Production.spec(
            SERVICE,
            repo,
            WINDOW,
            CHECK,
            CanaryStep.setWeight(10),
            CanaryStep.pause(null),
            CanaryStep.setWeight(50));
    List<Long> abortToStable = new ArrayList<>();
    List<Double> shares = new ArrayList<>();
    try (BenchEngine engine = new BenchEngine()) {
      engine.release(blueGreen, good);
      List<String> versions = new ArrayList<>(bad);
      versions.add(good);
      versions.add(canary);
      LoadGenerator load =
          new LoadGenerator(
                  Production.URL + "/hello",
                  4,
                  1000,
                  Duration.ofMinutes(10),
                  versions.toArray(String[]::new))
              .start();
      for (int i = 0; i < bad.size(); i++) {
        boolean asCanary = i >= 3;
        abortToStable.add(
            abortToStable(
                engine,
                load,
                asCanary ? failingCanary : blueGreen,
                bad.get(i),
                asCanary ? "canary at 10%" : "blue-green"));
      }
      ReleaseWorkflow release = engine.startApproved(pausedCanary, canary);
      BenchEngine.awaitCanaryStep(release, "pause until promoted");
      for (int i = 0; i < 3; i++) {
        shares.add(Production.shareOf(load, canary, good, 2000));
      }
      release.promote("bench-approver");
      ReleaseStatus promoted = WorkflowStub.fromTyped(release).getResult(ReleaseStatus.class);
      load.close();
      System.out.printf(
          "canary at a 10%% step: %s%% of 3 x 2,000 answers; then promoted: %s%n",
          shares, promoted.state());
      System.out.printf(
          "load: %d requests, %d failed (the bad versions fail one in five on purpose)%n",
          load.sent(), load.failed());
    } finally {
      TestHosts.cleanUp(SERVICE);
    }
    System.out.println("abort to stable ms (3 blue-green, then 2 canaries): " + abortToStable);
    System.out.printf(
        "abort_to_stable_ms=%d canary_share_pct=%.1f%n",
        BlueGreenBench.median(abortToStable), shares.stream().sorted().toList().get(1));
    System.exit(0);
  }

  /**
   * Releases a bad version that analysis rolls back; ms from the deciding measurement to its last
   * answer.
   */
  private static long abortToStable(
      BenchEngine engine, LoadGenerator load, ReleaseSpec spec, String sha, String how)
      throws InterruptedException {
    ReleaseStatus status = engine.releaseExpecting(spec, sha, ReleaseState.ROLLED_BACK);
    List<Measurement> failed =
        status.measurements().stream()
            .filter(m -> m.verdict() == Measurement.Verdict.FAIL)
            .toList();
    long decided = failed.get(failed.size() - 1).atMs();
    Thread.sleep(1500); // any straggling answer of the bad version would show by now
    long ms = load.lastSeenMs(sha) - decided;
    System.out.println(
        sha.substring(0, 12)
            + " ("
            + how
            + "): failing measurements "
            + failed.stream().map(Measurement::value).toList()
            + "; last answer of the bad version "
            + ms
            + " ms after the deciding measurement");
    return ms;
  }
}
