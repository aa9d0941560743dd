package org.releaseengine.metrics;

/** A metrics system a verification asks (Argo Rollouts' metric provider). */
public interface MetricProvider {

  /**
   * The value of {@code query} now at {@code address}, or null when it returns no data. A failure
   * is an ApplicationFailure that says whether asking again can help.
   */
  Double measure(String address, String query);
}
