package org.releaseengine.worker.web;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.releaseengine.EngineNames;
import org.releaseengine.dora.DoraFigures;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.worker.web.EngineRecords.Run;

/**
 * The DORA figures of every running environment as Prometheus gauges, computed at scrape time from
 * the environments' records (as {@code release-cli dora} computes them), over the last 30 days.
 */
final class DoraGauges {

  static final Duration PERIOD = Duration.ofDays(30);

  private record Gauge(String name, String help, Function<DoraFigures, Double> value) {}

  private static final List<Gauge> GAUGES =
      List.of(
          new Gauge(
              "release_engine_dora_deployment_frequency_per_day",
              "Deploys that went live per day over the last 30 days",
              DoraFigures::deploysPerDay),
          new Gauge(
              "release_engine_dora_lead_time_seconds",
              "Median time from a sha's commit to its deploy going live, last 30 days",
              f -> seconds(f.leadTimeP50Ms())),
          new Gauge(
              "release_engine_dora_change_failure_rate",
              "Share of deploys rolled back within their rollback window, last 30 days",
              DoraFigures::changeFailureRate),
          new Gauge(
              "release_engine_dora_time_to_restore_seconds",
              "Median time from a failed deploy going live to its rollback's end, last 30 days",
              f -> seconds(f.timeToRestoreP50Ms())));

  private final EngineRecords records;

  DoraGauges(EngineRecords records) {
    this.records = records;
  }

  /** The gauges in Prometheus's text format; an environment that cannot be read is left out. */
  String scrape() {
    long now = System.currentTimeMillis();
    List<DoraFigures> figures = new ArrayList<>();
    for (Run run : records.open(EngineNames.ENVIRONMENT_PREFIX)) {
      try {
        EnvironmentView view = records.environment(run.workflowId());
        if (view != null && view.service() != null) {
          figures.add(DoraFigures.of(view, now, PERIOD));
        }
      } catch (RuntimeException unreadable) {
        // a stuck or older environment: its figures are missing from this scrape only
      }
    }
    return render(figures);
  }

  static String render(List<DoraFigures> figures) {
    StringBuilder text = new StringBuilder();
    for (Gauge gauge : GAUGES) {
      text.append("# HELP ").append(gauge.name()).append(' ').append(gauge.help()).append('\n');
      text.append("# TYPE ").append(gauge.name()).append(" gauge\n");
      for (DoraFigures f : figures) {
        Double value = gauge.value().apply(f);
        if (value != null) {
          text.append(
              String.format(
                  Locale.ROOT,
                  "%s{service=\"%s\",environment=\"%s\"} %s%n",
                  gauge.name(),
                  f.service(),
                  f.environment(),
                  Double.toString(value)));
        }
      }
    }
    return text.toString();
  }

  private static Double seconds(Long ms) {
    return ms == null ? null : ms / 1000.0;
  }
}
