package org.releaseengine.model;

import java.time.Duration;

/** The E2E suite run against staging with BASE_URL set; results read from JUnit XML if present. */
public record E2eSpec(String command, String junitReports, Duration timeout) {}
