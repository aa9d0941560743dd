package org.releaseengine.model;

import java.util.List;

/** Metric analysis after a deploy, against this environment's Prometheus. */
public record VerificationSpec(String prometheus, List<MetricCheck> checks) {}
