package org.releaseengine.model;

/** Where a service's release messages go; the worker's default channel when not set. */
public record NotificationSpec(String slackChannel) {}
