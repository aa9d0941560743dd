package org.releaseengine.bench;

import java.util.ArrayList;
import java.util.List;
import org.releaseengine.bench.ChaosScenarios.Outcome;
import org.releaseengine.bench.ChaosScenarios.Scenario;
import org.releaseengine.model.ReleaseState;

/**
 * bench/chaos.sh: every chaos scenario against the real engine (bin/release-server and a
 * bin/release-worker process) on the infra's hosts, under a load generator paced to 200 req/s on
 * production. Prints a line per scenario, then {@code scenarios=N consistent=N failed_requests=K
 * next_release_ok=N}.
 */
public final class ChaosBench {

  private static final int REQUESTS_PER_SECOND = 200;

  private ChaosBench() {}

  public static void main(String[] args) throws Exception {
    List<Outcome> outcomes = new ArrayList<>();
    try (ChaosRig rig = new ChaosRig("chaos" + (System.nanoTime() % 100000))) {
      rig.readLiveThroughCli();
      if (rig.releaseNew("", "first version").state() != ReleaseState.SUCCEEDED) {
        throw new IllegalStateException("the first release failed: nothing to break");
      }
      for (Scenario scenario : ChaosScenarios.all()) {
        Outcome outcome = ChaosScenarios.run(rig, scenario, REQUESTS_PER_SECOND);
        outcomes.add(outcome);
        System.out.println(outcome.line());
      }
    }
    System.out.printf(
        "scenarios=%d consistent=%d failed_requests=%d next_release_ok=%d%n",
        outcomes.size(),
        outcomes.stream().filter(Outcome::consistent).count(),
        outcomes.stream().mapToLong(Outcome::failedRequests).sum(),
        outcomes.stream().filter(Outcome::nextReleaseOk).count());
    System.exit(0); // the Temporal client's threads would keep the JVM alive
  }
}
