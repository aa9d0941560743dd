package org.releaseengine.model;

import java.util.List;

/**
 * A canary rollout instead of one switch: the new slot starts beside the stable one and receives a
 * growing share of requests, step by step, until the final promotion sends it everything.
 */
public record CanarySpec(List<CanaryStep> steps) {}
