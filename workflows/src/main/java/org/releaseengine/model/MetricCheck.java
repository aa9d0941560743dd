package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.time.Duration;

/**
 * One metric analysis: a PromQL query measured {@code count} times, {@code interval} apart; a
 * measurement succeeds when its value lies in [{@code min}, {@code max}] (either bound may be
 * open). More than {@code failureLimit} failed measurements fail the check. A query that returns
 * nothing is "no data", handled by {@code noData}: {@code fail} (counts as a failure), {@code
 * pass}, or {@code ignore} (counts as neither). A measurement whose query fails (Prometheus down)
 * is an error, neither data nor no data: more than {@code consecutiveErrorLimit} errors in a row
 * (default 4, as Argo Rollouts) fail the check, and a query Prometheus rejects fails it at once. In
 * the query, {@code $slot} is the slot being verified.
 */
public record MetricCheck(
    String name,
    String query,
    Double min,
    Double max,
    Duration interval,
    int count,
    int failureLimit,
    NoData noData,
    Integer consecutiveErrorLimit) {

  /** What a measurement without data counts as. */
  public enum NoData implements Spelled {
    FAIL("fail"),
    PASS("pass"),
    IGNORE("ignore");

    private final String value;

    NoData(String value) {
      this.value = value;
    }

    /** The spelling in release.yaml, the JSON and the histories. */
    @Override
    @JsonValue
    public String value() {
      return value;
    }

    /** The noData policy spelled {@code value}, or null when it is none. */
    public static NoData parse(String value) {
      return Spelled.parse(NoData.class, value);
    }

    @JsonCreator
    static NoData of(String value) {
      return Spelled.strict(NoData.class, value, "noData policy");
    }

    @Override
    public String toString() {
      return value;
    }
  }

  public static final int DEFAULT_CONSECUTIVE_ERROR_LIMIT = 4;

  /** A check with the default consecutive-error limit. */
  public MetricCheck(
      String name,
      String query,
      Double min,
      Double max,
      Duration interval,
      int count,
      int failureLimit,
      NoData noData) {
    this(name, query, min, max, interval, count, failureLimit, noData, null);
  }

  /** The consecutive-error limit, the default when the spec (or an older history) has none. */
  public int errorLimit() {
    return consecutiveErrorLimit == null ? DEFAULT_CONSECUTIVE_ERROR_LIMIT : consecutiveErrorLimit;
  }
}
