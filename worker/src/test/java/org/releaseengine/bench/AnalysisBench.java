package org.releaseengine.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.VerificationSpec;

/**
 * bench/analysis.sh: a healthy version in production under load (1,000 req/s), then bad versions (one
 * request in five fails) released through the real engine with real Prometheus: the time from the
 * measurement that passed the failure limit to the last answer of the bad version (traffic fully back
 * on the old one), three times.
 */
public final class AnalysisBench {

  private static final String SERVICE = "analysisbench";
  private static final String ERROR_RATIO = "(sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\","
      + "status=~\"5..\"}[5s])) or vector(0)) / sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\"}[5s]))";

  private AnalysisBench() {}

  public static void main(String[] args) throws Exception {
    ExampleRepo repo = ExampleRepo.create();
    String good = repo.commit("", "good");
    List<String> bad = new ArrayList<>();
    for (int i = 1; i <= 3; i++) {
      bad.add(repo.commit("error_rate=0.2", "bad " + i));
    }
    EnvironmentSpec production = new EnvironmentSpec("http://127.0.0.1:19080",
        List.of(new HostSpec("production-1", "127.0.0.1", 2223, "release-deploy", 19080)), new SlotPorts(19081, 19082),
        "/healthz", Duration.ofMinutes(30), new VerificationSpec(Infra.env("RELEASE_PROMETHEUS"), List.of(
            new MetricCheck("error-ratio", ERROR_RATIO, null, 0.05, Duration.ofSeconds(1), 10, 1, MetricCheck.IGNORE))));
    ReleaseSpec base = BenchEngine.spec(SERVICE, repo.dir(), TestHosts.environment("staging"), production);
    ReleaseSpec spec = new ReleaseSpec(SERVICE, base.source(), base.image(), base.approval(),
        new LinkedHashMap<>(base.environments()), null, null, null);
    List<Long> abortToStable = new ArrayList<>();
    try (BenchEngine engine = new BenchEngine()) {
      engine.release(spec, good);
      List<String> versions = new ArrayList<>(bad);
      versions.add(good);
      LoadGenerator load = new LoadGenerator("http://127.0.0.1:19080/hello", 4, 1000, Duration.ofMinutes(8),
          versions.toArray(String[]::new)).start();
      for (String sha : bad) {
        ReleaseStatus status = engine.releaseExpecting(spec, sha, ReleaseState.ROLLED_BACK);
        List<Measurement> failed = status.measurements().stream()
            .filter(m -> Measurement.FAILED.equals(m.verdict())).toList();
        long decided = failed.get(failed.size() - 1).atMs();
        Thread.sleep(1500); // any straggling answer of the bad version would show by now
        long ms = load.lastSeenMs(sha) - decided;
        abortToStable.add(ms);
        System.out.println(sha.substring(0, 12) + ": failing measurements " + failed.stream().map(Measurement::value).toList()
            + "; last answer of the bad version " + ms + " ms after the deciding measurement");
      }
      load.close();
      System.out.printf("load: %d requests, %d failed (the bad versions fail one in five on purpose)%n",
          load.sent(), load.failed());
    } finally {
      TestHosts.cleanUp(SERVICE, "staging");
      TestHosts.cleanUp(SERVICE, "production");
    }
    System.out.println("abort to stable ms: " + abortToStable);
    System.out.println("canary: not implemented yet, so no share at a 10% step can be measured");
    System.out.printf("abort_to_stable_ms=%d canary_share_pct=n/a%n", BlueGreenBench.median(abortToStable));
    System.exit(0);
  }
}
