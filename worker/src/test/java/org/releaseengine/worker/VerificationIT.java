package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.bench.BenchEngine;
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
 * Post-deploy verification with the real Prometheus of scripts/infra.sh scraping the production
 * slots (ports 19081/19082), real nginx and Docker, the whole engine, and traffic from a load
 * generator: a healthy build stays; a build that fails one request in five is rolled back by itself.
 */
class VerificationIT {

  private static final String SERVICE = "verified";
  private static final String ERROR_RATIO = "(sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\","
      + "status=~\"5..\"}[5s])) or vector(0)) / sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\"}[5s]))";

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE, "staging");
    TestHosts.cleanUp(SERVICE, "production");
  }

  private static ReleaseSpec spec(ExampleRepo repo) {
    EnvironmentSpec production = new EnvironmentSpec("http://127.0.0.1:19080",
        List.of(new HostSpec("production-1", "127.0.0.1", 2223, "release-deploy", 19080)), new SlotPorts(19081, 19082),
        "/healthz", Duration.ofMinutes(30), new VerificationSpec(Infra.env("RELEASE_PROMETHEUS"), List.of(
            new MetricCheck("error-ratio", ERROR_RATIO, null, 0.05, Duration.ofSeconds(2), 5, 1, MetricCheck.IGNORE))));
    ReleaseSpec base = BenchEngine.spec(SERVICE, repo.dir(), TestHosts.environment("staging"), production);
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(base.environments());
    return new ReleaseSpec(SERVICE, base.source(), base.image(), base.approval(), envs, null, null, null);
  }

  private static String version() throws Exception {
    return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:19080/version")).build(),
        HttpResponse.BodyHandlers.ofString()).body().trim();
  }

  @Test
  void aHealthyBuildStaysAndAFailingOneIsRolledBackByItself() throws Exception {
    ExampleRepo repo = ExampleRepo.create();
    String v1 = repo.commit("", "v1");
    String v2 = repo.commit("", "v2");
    String bad = repo.commit("error_rate=0.2", "v3 fails one request in five");
    ReleaseSpec spec = spec(repo);
    try (BenchEngine engine = new BenchEngine()) {
      engine.release(spec, v1);
      LoadGenerator load = new LoadGenerator("http://127.0.0.1:19080/hello", 4, 400, Duration.ofMinutes(5),
          v1, v2, bad).start();
      try {
        ReleaseStatus good = engine.release(spec, v2);
        assertEquals(ReleaseState.SUCCEEDED, good.state());
        assertTrue(good.measurements().stream().anyMatch(m -> Measurement.PASSED.equals(m.verdict())), good.measurements().toString());
        assertTrue(good.measurements().stream().noneMatch(m -> Measurement.FAILED.equals(m.verdict())), good.measurements().toString());
        assertEquals(v2, version(), "the healthy build stays");

        ReleaseStatus rolledBack = engine.releaseExpecting(spec, bad, ReleaseState.ROLLED_BACK);
        assertTrue(rolledBack.reason().startsWith("metric analysis failed: error-ratio: 2 failed measurement(s)"),
            rolledBack.reason());
        assertTrue(rolledBack.reason().endsWith("production rolled back to " + v2), rolledBack.reason());
        List<Measurement> failed = rolledBack.measurements().stream()
            .filter(m -> Measurement.FAILED.equals(m.verdict())).toList();
        assertEquals(2, failed.size(), rolledBack.measurements().toString());
        assertTrue(failed.stream().allMatch(m -> m.value() > 0.05), failed.toString());
        assertEquals(v2, version(), "the public port serves the previous version");
      } finally {
        load.close();
      }
    }
  }
}
