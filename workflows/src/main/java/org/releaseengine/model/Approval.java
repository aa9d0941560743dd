package org.releaseengine.model;

/** The payload of the approve and reject signals. */
public record Approval(String approver, String comment) {}
