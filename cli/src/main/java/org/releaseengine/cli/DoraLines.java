package org.releaseengine.cli;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.releaseengine.dora.DoraFigures;

/** The four DORA figures as {@code release-cli dora} and the demo print them. */
final class DoraLines {

  private DoraLines() {}

  static List<String> of(DoraFigures f, String period) {
    return List.of(
        f.service() + " " + f.environment() + ", last " + period + ":",
        String.format(
            Locale.ROOT,
            "  deployment frequency %.2f/day (%d deploy%s in %s)",
            f.deploysPerDay(),
            f.deploys(),
            f.deploys() == 1 ? "" : "s",
            period),
        f.leadTimeP50Ms() == null
            ? "  lead time - (no deploy with a known commit time)"
            : "  lead time p50 "
                + human(f.leadTimeP50Ms())
                + " ("
                + f.leadTimes()
                + " of "
                + f.deploys()
                + " deploys with a commit time)",
        f.changeFailureRate() == null
            ? "  change failure rate - (no deploys)"
            : String.format(
                Locale.ROOT,
                "  change failure rate %.0f%% (%d of %d rolled back within the window)",
                f.changeFailureRate() * 100,
                f.failures(),
                f.deploys()),
        f.timeToRestoreP50Ms() == null
            ? "  time to restore - (no failed deploys)"
            : "  time to restore p50 "
                + human(f.timeToRestoreP50Ms())
                + " ("
                + f.restores()
                + " restore"
                + (f.restores() == 1 ? ")" : "s)"));
  }

  /** {@code 41s}, {@code 3m12s}, {@code 2h5m}, {@code 3d4h}. */
  static String human(long ms) {
    Duration d = Duration.ofMillis(ms);
    if (d.toDays() > 0) {
      return d.toDays() + "d" + d.toHoursPart() + "h";
    }
    if (d.toHours() > 0) {
      return d.toHours() + "h" + d.toMinutesPart() + "m";
    }
    if (d.toMinutes() > 0) {
      return d.toMinutes() + "m" + d.toSecondsPart() + "s";
    }
    return d.toSeconds() + "s";
  }
}
