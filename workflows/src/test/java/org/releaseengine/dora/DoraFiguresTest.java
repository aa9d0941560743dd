package org.releaseengine.dora;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.environment.Operation;
import org.releaseengine.environment.Operation.Kind;
import org.releaseengine.environment.Operation.State;

/** The four figures from hand-built records of a production environment. */
class DoraFiguresTest {

  private static final long MIN = 60_000;
  private static final long DAY = Duration.ofDays(1).toMillis();
  private static final long NOW = 100 * DAY;
  private static final long WINDOW = 30 * MIN;

  private final List<Operation> ops = new ArrayList<>();
  private final List<ShaRecord> shas = new ArrayList<>();

  private void deploy(String sha, long startMs, long liveMs, State state) {
    ops.add(
        new Operation("d-" + ops.size(), Kind.DEPLOY, sha, "dave", state, null, startMs, liveMs));
  }

  private void rollback(String sha, long startMs, long endMs, State state) {
    ops.add(
        new Operation("r-" + ops.size(), Kind.ROLLBACK, sha, "erin", state, null, startMs, endMs));
  }

  private void committed(String sha, long atMs) {
    shas.add(new ShaRecord(sha, "sha256:" + sha, atMs, "dave", Kind.DEPLOY, null, atMs));
  }

  private DoraFigures figures(Duration period) {
    EnvironmentView view =
        new EnvironmentView(
            "shop", "production", shas, null, null, null, ops, null, null, WINDOW, null);
    return DoraFigures.of(view, NOW, period);
  }

  @Test
  void aDeployRolledBackWithinItsWindowIsAFailureWithItsTimeToRestore() {
    long t = NOW - DAY;
    deploy("a", t, t + MIN, State.SUCCEEDED);
    rollback("0", t + 5 * MIN, t + 6 * MIN, State.SUCCEEDED);
    DoraFigures f = figures(Duration.ofDays(30));

    assertEquals(1, f.deploys());
    assertEquals(1, f.failures());
    assertEquals(1.0, f.changeFailureRate());
    assertEquals(5 * MIN, f.timeToRestoreP50Ms(), "from going live to the rollback's end");
  }

  @Test
  void aRollbackAfterTheWindowOrAfterTheNextDeployIsNoFailureOfIt() {
    long t = NOW - DAY;
    deploy("a", t, t + MIN, State.SUCCEEDED);
    rollback("0", t + MIN + WINDOW + 1, t + MIN + WINDOW + 2, State.SUCCEEDED);
    deploy("b", t + 2 * WINDOW, t + 2 * WINDOW + MIN, State.SUCCEEDED);
    deploy("c", t + 3 * WINDOW, t + 3 * WINDOW + MIN, State.SUCCEEDED);
    rollback("b", t + 3 * WINDOW + 2 * MIN, t + 3 * WINDOW + 4 * MIN, State.SUCCEEDED);
    DoraFigures f = figures(Duration.ofDays(30));

    assertEquals(3, f.deploys());
    assertEquals(1, f.failures(), "only c was rolled back within its window");
    assertEquals(1.0 / 3, f.changeFailureRate(), 1e-9);
    assertEquals(3 * MIN, f.timeToRestoreP50Ms());
  }

  @Test
  void refusedRollbacksAndDeploysThatNeverWentLiveDoNotCount() {
    long t = NOW - DAY;
    deploy("a", t, t + MIN, State.SUCCEEDED);
    rollback("0", t + 2 * MIN, t + 2 * MIN, State.REFUSED);
    deploy("b", t + 3 * MIN, t + 4 * MIN, State.FAILED);
    deploy("c", t + 5 * MIN, t + 6 * MIN, State.CANCELLED);
    DoraFigures f = figures(Duration.ofDays(30));

    assertEquals(1, f.deploys());
    assertEquals(0, f.failures());
    assertEquals(0.0, f.changeFailureRate());
    assertNull(f.timeToRestoreP50Ms());
  }

  @Test
  void frequencyIsDeploysThatWentLivePerDayOfThePeriod() {
    for (int i = 0; i < 4; i++) {
      long t = NOW - (i + 1) * DAY / 3;
      deploy("s" + i, t, t + MIN, State.SUCCEEDED);
    }
    deploy("old", NOW - 5 * DAY, NOW - 5 * DAY + MIN, State.SUCCEEDED);

    DoraFigures twoDays = figures(Duration.ofDays(2));
    assertEquals(4, twoDays.deploys());
    assertEquals(2.0, twoDays.deploysPerDay(), 1e-9);
    DoraFigures tenDays = figures(Duration.ofDays(10));
    assertEquals(5, tenDays.deploys());
    assertEquals(0.5, tenDays.deploysPerDay(), 1e-9);
  }

  @Test
  void leadTimeRunsFromTheCommitToGoingLiveMedianOfTheKnownOnes() {
    long t = NOW - DAY;
    committed("a", t - 10 * MIN);
    committed("b", t - 2 * MIN);
    committed("c", t - 60 * MIN);
    deploy("a", t, t + MIN, State.SUCCEEDED);
    deploy("b", t + 2 * MIN, t + 3 * MIN, State.SUCCEEDED);
    deploy("c", t + 4 * MIN, t + 5 * MIN, State.SUCCEEDED);
    deploy("unknown", t + 6 * MIN, t + 7 * MIN, State.SUCCEEDED);
    DoraFigures f = figures(Duration.ofDays(30));

    assertEquals(4, f.deploys());
    assertEquals(3, f.leadTimes(), "the sha without a commit time is left out");
    assertEquals(11 * MIN, f.leadTimeP50Ms(), "lead times 11m, 5m and 65m");
  }

  @Test
  void anEnvironmentWithoutDeploysHasNoRates() {
    DoraFigures f = figures(Duration.ofDays(30));

    assertEquals(0, f.deploys());
    assertEquals(0.0, f.deploysPerDay());
    assertNull(f.changeFailureRate());
    assertNull(f.leadTimeP50Ms());
  }
}
