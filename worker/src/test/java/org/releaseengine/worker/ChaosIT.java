package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.releaseengine.bench.ChaosRig;
import org.releaseengine.bench.ChaosScenarios;
import org.releaseengine.bench.ChaosScenarios.Outcome;
import org.releaseengine.bench.ChaosScenarios.Scenario;
import org.releaseengine.model.ReleaseState;

/**
 * The chaos suite's fast scenarios (bench/chaos.sh runs them all): the real engine as processes on
 * the infra's hosts, a fault at a step, under load; afterwards the hosts serve what the engine says
 * is live, no request failed, and the next release succeeds.
 */
class ChaosIT {

  private static ChaosRig rig;

  @BeforeAll
  static void start() throws Exception {
    rig = new ChaosRig("chaosit" + (System.nanoTime() % 100000));
    assertEquals(ReleaseState.SUCCEEDED, rig.releaseNew("", "first version").state());
  }

  @AfterAll
  static void stop() throws Exception {
    if (rig != null) {
      rig.close();
    }
  }

  static Iterable<Scenario> fastScenarios() {
    return ChaosScenarios.fast();
  }

  @ParameterizedTest
  @MethodSource("fastScenarios")
  void productionServesWhatTheEngineSaysAfter(Scenario scenario) throws Exception {
    Outcome outcome = ChaosScenarios.run(rig, scenario, 200);
    System.out.println(outcome.line());
    assertTrue(outcome.consistent(), outcome.line());
    assertEquals(0, outcome.failedRequests(), outcome.line());
    assertTrue(outcome.requests() > 100, outcome.line());
    assertTrue(outcome.nextReleaseOk(), outcome.line());
  }
}
