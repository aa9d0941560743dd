package org.releaseengine.dora;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.EnvironmentSpec;

/**
 * The four DORA figures of one service's environment over a period, from the environment's own
 * record (its operations and deployments). The one definition, for {@code release-cli dora} and the
 * worker's {@code /metrics}:
 *
 * <ul>
 *   <li>deployment frequency: deploys that went live in the period, per day of the period;
 *   <li>lead time: from the sha's commit time to its deploy going live (deploys whose commit time
 *       is known), median;
 *   <li>change failure rate: the deploys that went live and were rolled back (by hand, or by the
 *       release after a failed verification) within their rollback window, before the next deploy,
 *       over all deploys that went live;
 *   <li>time to restore: from such a deploy going live (when its verification starts) to the
 *       rollback's completion, median.
 * </ul>
 *
 * Times are milliseconds; a median with nothing to measure is null.
 */
public record DoraFigures(
    String service,
    String environment,
    long periodMs,
    int deploys,
    double deploysPerDay,
    Long leadTimeP50Ms,
    int leadTimes,
    int failures,
    Double changeFailureRate,
    Long timeToRestoreP50Ms,
    int restores) {

  private static final double DAY_MS = Duration.ofDays(1).toMillis();

  /** The figures of {@code view} over the {@code period} that ends at {@code nowMs}. */
  public static DoraFigures of(EnvironmentView view, long nowMs, Duration period) {
    long from = nowMs - period.toMillis();
    long window =
        view.rollbackWindowMs() == null
            ? EnvironmentSpec.DEFAULT_ROLLBACK_WINDOW.toMillis()
            : view.rollbackWindowMs();
    Map<String, Long> commitTimes = new HashMap<>();
    for (ShaRecord r : view.deployments() == null ? List.<ShaRecord>of() : view.deployments()) {
      if (r.commitTimeMs() != null) {
        commitTimes.put(r.sha(), r.commitTimeMs());
      }
    }
    List<Operation> ops =
        new ArrayList<>(view.operations() == null ? List.of() : view.operations());
    ops.sort(Comparator.comparingLong(Operation::startedAtMs));
    int deploys = 0;
    int failures = 0;
    List<Long> leadTimes = new ArrayList<>();
    List<Long> restores = new ArrayList<>();
    for (int i = 0; i < ops.size(); i++) {
      Operation deploy = ops.get(i);
      if (!wentLive(deploy) || deploy.endedAtMs() < from || deploy.endedAtMs() > nowMs) {
        continue;
      }
      deploys++;
      Long commit = commitTimes.get(deploy.sha());
      if (commit != null && commit <= deploy.endedAtMs()) {
        leadTimes.add(deploy.endedAtMs() - commit);
      }
      Operation rollback = rollbackOf(ops, i, window);
      if (rollback != null) {
        failures++;
        restores.add(rollback.endedAtMs() - deploy.endedAtMs());
      }
    }
    return new DoraFigures(
        view.service(),
        view.environment(),
        period.toMillis(),
        deploys,
        deploys / (period.toMillis() / DAY_MS),
        median(leadTimes),
        leadTimes.size(),
        failures,
        deploys == 0 ? null : (double) failures / deploys,
        median(restores),
        restores.size());
  }

  private static boolean wentLive(Operation op) {
    return op.kind() == Operation.Kind.DEPLOY && op.state() == Operation.State.SUCCEEDED;
  }

  /**
   * The rollback that undid the deploy at {@code index}: the first rollback carried out (not
   * refused, not cancelled) that started within the window after it went live, before any other
   * deploy went live; else null.
   */
  private static Operation rollbackOf(List<Operation> ops, int index, long window) {
    Operation deploy = ops.get(index);
    for (int j = index + 1; j < ops.size(); j++) {
      Operation next = ops.get(j);
      if (next.startedAtMs() > deploy.endedAtMs() + window) {
        return null;
      }
      if (wentLive(next)) {
        return null;
      }
      if (next.kind() == Operation.Kind.ROLLBACK
          && next.startedAtMs() >= deploy.endedAtMs()
          && (next.state() == Operation.State.SUCCEEDED
              || next.state() == Operation.State.FAILED)) {
        return next;
      }
    }
    return null;
  }

  /** The middle value (the lower of the two middle ones), or null when there is none. */
  static Long median(List<Long> values) {
    if (values.isEmpty()) {
      return null;
    }
    List<Long> sorted = values.stream().sorted().toList();
    return sorted.get((sorted.size() - 1) / 2);
  }
}
