package org.releaseengine.model;

/** A signal the release received and refused, with why. */
public record RefusedSignal(String signal, String by, String reason, long atMs) {}
