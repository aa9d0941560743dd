package org.releaseengine.release;

/** The payload of the abort signal: who stops the release and why. */
public record AbortRequest(String by, String reason) {}
