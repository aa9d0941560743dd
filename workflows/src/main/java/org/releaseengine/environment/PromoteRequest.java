package org.releaseengine.environment;

/** Someone asked a running canary to skip its remaining pauses. */
public record PromoteRequest(String orderId, String by) {}
