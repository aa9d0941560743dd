package org.releaseengine.model;

/**
 * The verdict of a gate stage (scan, E2E, verification) with a one-paragraph summary for people.
 */
public record GateResult(boolean passed, String summary) {}
