package org.releaseengine.model;

import java.time.Duration;

/**
 * One metric analysis: a PromQL query measured {@code count} times, {@code interval} apart; a
 * measurement succeeds when its value lies in [{@code min}, {@code max}] (either bound may be
 * open). More than {@code failureLimit} failed measurements fail the check. A query that returns
 * nothing is "no data", handled by {@code noData}: {@code fail} (counts as a failure), {@code
 * pass}, or {@code ignore} (counts as neither). In the query, {@code $slot} is the slot being
 * verified.
 */
public record MetricCheck(
    String name,
    String query,
    Double min,
    Double max,
    Duration interval,
    int count,
    int failureLimit,
    String noData) {

  public static final String FAIL = "fail";
  public static final String PASS = "pass";
  public static final String IGNORE = "ignore";
}
