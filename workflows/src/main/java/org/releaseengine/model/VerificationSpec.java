package org.releaseengine.model;

import java.util.List;

/**
 * Metric analysis after a deploy, against this environment's Prometheus, and optionally a bounded
 * load sent through the environment's URL while it runs ({@code traffic}, added later: null in
 * older histories).
 */
public record VerificationSpec(String prometheus, List<MetricCheck> checks, TrafficSpec traffic) {

  public VerificationSpec(String prometheus, List<MetricCheck> checks) {
    this(prometheus, checks, null);
  }
}
