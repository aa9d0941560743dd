package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.bench.BenchEngine;
import org.releaseengine.bench.Production;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;

/**
 * Post-deploy verification with the real Prometheus of scripts/infra.sh scraping the production
 * slots, real nginx and Docker, the whole engine, and traffic from a load generator: a healthy
 * build stays; a build that fails one request in five is rolled back by itself.
 */
class VerificationIT {

  private static final String SERVICE = "verified";

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE);
  }

  @Test
  void aHealthyBuildStaysAndAFailingOneIsRolledBackByItself() throws Exception {
    ExampleRepo repo = ExampleRepo.create();
    String v1 = repo.commit("", "v1");
    String v2 = repo.commit("", "v2");
    String bad = repo.commit("error_rate=0.2", "v3 fails one request in five");
    ReleaseSpec spec =
        Production.spec(
            SERVICE,
            repo,
            Duration.ofMinutes(30),
            Production.errorRatio(Duration.ofSeconds(2), 5, 1));
    try (BenchEngine engine = new BenchEngine()) {
      engine.release(spec, v1);
      LoadGenerator load =
          new LoadGenerator(Production.URL + "/hello", 4, 400, Duration.ofMinutes(5), v1, v2, bad)
              .start();
      try {
        ReleaseStatus good = engine.release(spec, v2);
        assertEquals(ReleaseState.SUCCEEDED, good.state());
        assertTrue(
            good.measurements().stream().anyMatch(m -> m.verdict() == Measurement.Verdict.PASS),
            good.measurements().toString());
        assertTrue(
            good.measurements().stream().noneMatch(m -> m.verdict() == Measurement.Verdict.FAIL),
            good.measurements().toString());
        assertEquals(v2, Production.version(), "the healthy build stays");

        ReleaseStatus rolledBack = engine.releaseExpecting(spec, bad, ReleaseState.ROLLED_BACK);
        assertTrue(
            rolledBack
                .reason()
                .startsWith("metric analysis failed: error-ratio: 2 failed measurement(s)"),
            rolledBack.reason());
        assertTrue(
            rolledBack.reason().endsWith("production rolled back to " + v2), rolledBack.reason());
        List<Measurement> failed =
            rolledBack.measurements().stream()
                .filter(m -> m.verdict() == Measurement.Verdict.FAIL)
                .toList();
        assertEquals(2, failed.size(), rolledBack.measurements().toString());
        assertTrue(failed.stream().allMatch(m -> m.value() > 0.05), failed.toString());
        assertEquals(v2, Production.version(), "the public port serves the previous version");
      } finally {
        load.close();
      }
    }
  }
}
