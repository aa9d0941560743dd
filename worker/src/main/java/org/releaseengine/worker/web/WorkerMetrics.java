package org.releaseengine.worker.web;

import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import java.time.Duration;

/**
 * The worker's metrics for {@code GET /metrics}: the Temporal SDK reports through a tally scope
 * into Micrometer (as Temporal documents), and Micrometer's Prometheus registry writes the text
 * format.
 */
public final class WorkerMetrics implements AutoCloseable {

  private final PrometheusMeterRegistry registry =
      new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
  private final Scope scope;

  /** {@code every}: how often the SDK's scope reports into the registry. */
  public WorkerMetrics(Duration every) {
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
}
