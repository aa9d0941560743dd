package org.releaseengine.metrics;

import java.util.function.Function;
import org.releaseengine.metrics.prometheus.PrometheusProvider;
import org.releaseengine.stage.MetricsActivities;

/**
 * The metrics activity: asks the provider of a verification. A verification names its Prometheus
 * (release.yaml's {@code prometheus}, in this activity's payload and so in histories), so its
 * provider is Prometheus's until release.yaml can name another.
 */
public final class MetricsActivity implements MetricsActivities {

  private final Function<String, MetricProvider> providers;

  /** With the providers by kind (Providers::metrics). */
  public MetricsActivity(Function<String, MetricProvider> providers) {
    this.providers = providers;
  }

  @Override
  public Double measure(String prometheusUrl, String query) {
    return providers.apply(PrometheusProvider.KIND).measure(prometheusUrl, query);
  }
}
