package org.releaseengine.worker.web;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.MeterFilter;
import io.micrometer.core.instrument.distribution.DistributionStatisticConfig;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;

/**
 * The worker's metrics for {@code GET /metrics}: the Temporal SDK reports through a tally scope
 * into Micrometer (as Temporal documents), and Micrometer's Prometheus registry writes the text
 * format.
 */
public final class WorkerMetrics implements AutoCloseable {

  /**
   * The bucket bounds of the engine's own timers, which carry a {@code service} label. The SDK's
   * reporter gives every timer Micrometer's percentile histogram: 69 buckets from 1 ms to 30 s, for
   * each service, stage and state. That was wrong for stages of minutes and approvals of hours, and
   * made a scrape grow by 73 lines per service and stage (140 MB of text with 1,000 services).
   */
  static final Map<String, Duration[]> ENGINE_TIMER_BUCKETS =
      Map.of(
          "release_engine_stage_duration",
          seconds(1, 5, 15, 30, 60, 120, 300, 600, 1800, 3600),
          "release_engine_approval_wait",
          seconds(60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600, 72 * 3600));

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope scope;

  /** {@code every}: how often the SDK's scope reports into the registry. */
  public WorkerMetrics(Duration every) {
    registry.config().meterFilter(engineTimerBuckets());
    this.scope =
        new RootScopeBuilder()
            .reporter(new MicrometerClientStatsReporter(registry))
            .reportEvery(com.uber.m3.util.Duration.ofMillis(every.toMillis()));
  }

  /** The scope to give the Temporal client's service stubs. */
  public Scope temporalScope() {
    return scope;
  }

  /** Every series, in Prometheus's text format. */
  public String scrape() {
    return registry.scrape();
  }

  @Override
  public void close() throws com.uber.m3.tally.ScopeCloseException {
    try {
      scope.close();
    } finally {
      registry.close();
    }
  }

  private static MeterFilter engineTimerBuckets() {
    return new MeterFilter() {
      @Override
      public DistributionStatisticConfig configure(
          Meter.Id id, DistributionStatisticConfig config) {
        Duration[] buckets = ENGINE_TIMER_BUCKETS.get(id.getName());
        if (buckets == null) {
          return config;
        }
        return DistributionStatisticConfig.builder()
            .percentilesHistogram(false)
            .serviceLevelObjectives(
                Arrays.stream(buckets).mapToDouble(bucket -> bucket.toNanos()).toArray())
            .build()
            .merge(config);
      }
    };
  }

  private static Duration[] seconds(long... bounds) {
    return Arrays.stream(bounds).mapToObj(Duration::ofSeconds).toArray(Duration[]::new);
  }
}
