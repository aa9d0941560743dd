package org.releaseengine.environment;

import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;

/** A release asking its environment's workflow to deploy an image; answered by a signal back. */
public record DeployOrder(
    String orderId,
    String releaseWorkflowId,
    String service,
    String environment,
    EnvironmentSpec spec,
    ImageRef image,
    String requester) {}
