package org.releaseengine.environment;

import org.releaseengine.model.ImageRef;

/** A sha that ran in this environment: its digest, when it went live, and who asked. */
public record Deployment(ImageRef image, long deployedAtMs, String requestedBy, String via) {}
