package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.bench.BenchEngine;
import org.releaseengine.bench.Production;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.model.TrafficSpec;
import org.releaseengine.model.VerificationSpec;

/**
 * A first release, which no user reaches yet, measured all the same: the verification's own traffic
 * goes through production's nginx to the new slot, the real Prometheus scrapes it, and the checks
 * have data. Nothing else sends a request.
 */
class VerificationTrafficIT {

  private static final String SERVICE = "trafficked";

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE);
  }

  @Test
  void theVerificationsTrafficGivesItsMeasurementsData() throws Exception {
    ExampleRepo repo = ExampleRepo.create();
    String v1 = repo.commit("", "v1");
    ReleaseSpec plain =
        Production.spec(
            SERVICE,
            repo,
            Duration.ofMinutes(30),
            Production.errorRatio(Duration.ofSeconds(2), 5, 0));
    EnvironmentSpec production = plain.environment(ReleaseSpec.PRODUCTION);
    TrafficSpec load = new TrafficSpec("/hello", 10, Duration.ofSeconds(10));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(plain.environments());
    envs.put(
        ReleaseSpec.PRODUCTION,
        new EnvironmentSpec(
            production.url(),
            production.hosts(),
            production.slots(),
            production.healthPath(),
            production.rollbackWindow(),
            new VerificationSpec(
                production.verification().prometheus(), production.verification().checks(), load)));
    ReleaseSpec spec =
        new ReleaseSpec(
            SERVICE, plain.source(), plain.image(), plain.approval(), envs, null, null, null);
    try (BenchEngine engine = new BenchEngine()) {
      ReleaseStatus done = engine.release(spec, v1);
      assertEquals(ReleaseState.SUCCEEDED, done.state());
      assertEquals(new TrafficCount(100, 0, null), done.traffic());
      List<Measurement> withData =
          done.measurements().stream().filter(m -> m.value() != null).toList();
      assertTrue(!withData.isEmpty(), "measured with data: " + done.measurements());
      assertTrue(
          withData.stream().allMatch(m -> m.verdict() == Measurement.Verdict.PASS),
          done.measurements().toString());
      assertTrue(
          done.stage(Stage.VERIFY).summary().endsWith("; traffic: 100 requests, 0 failed"),
          done.stage(Stage.VERIFY).summary());
      assertEquals(v1, Production.version());
    }
  }
}
