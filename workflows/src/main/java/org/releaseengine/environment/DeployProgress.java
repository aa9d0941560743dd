package org.releaseengine.environment;

import java.util.List;
import org.releaseengine.model.Measurement;

/**
 * Sent to the release while its canary runs: the step now running, the canary's share of requests,
 * and every measurement so far.
 */
public record DeployProgress(
    String orderId, String step, int weight, List<Measurement> measurements) {}
