package org.releaseengine.model;

import java.time.Duration;
import java.util.Map;

/**
 * The E2E suite run against staging with BASE_URL set; results read from JUnit XML if present. The
 * command runs sealed in a throwaway container of the {@code runner} image with only {@code env}
 * (literal values from release.yaml), RELEASE_SHA and BASE_URL, on a network that reaches the
 * environment's URL and nothing of the worker's loopback. A spec without a runner is refused when
 * run.
 */
public record E2eSpec(
    String command, String junitReports, Duration timeout, String runner, Map<String, String> env) {

  public E2eSpec(String command, String junitReports, Duration timeout) {
    this(command, junitReports, timeout, null, null);
  }

  /** The same suite run in {@code runner}. */
  public E2eSpec withRunner(String runner) {
    return new E2eSpec(command, junitReports, timeout, runner, env);
  }
}
