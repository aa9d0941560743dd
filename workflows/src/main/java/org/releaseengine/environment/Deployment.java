package org.releaseengine.environment;

import org.releaseengine.model.ImageRef;

/** A sha that ran in this environment: its digest, when it went live, who asked and how. */
public record Deployment(
    ImageRef image, long deployedAtMs, String requestedBy, Operation.Kind via) {}
