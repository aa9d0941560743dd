package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;

/** Asks a metrics system for the current value of a query. */
@ActivityInterface
public interface MetricsActivities {

  /** The query's value now, or null when it returns no data. */
  Double measure(String prometheusUrl, String query);
}
