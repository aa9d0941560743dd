package org.releaseengine.model;

/**
 * One measurement of a check: when, the value (null: no data or an error), and the verdict. ERROR
 * means the query itself failed (Prometheus down, or a query it rejects): that is not "no data".
 */
public record Measurement(String check, long atMs, Double value, Verdict verdict) {

  /**
   * What one measurement said about its check. Written as its name, as {@code ReleaseState} is: a
   * renamed member would no longer read the histories, nor the scripts that read the status.
   */
  public enum Verdict {
    PASS,
    FAIL,
    NO_DATA,
    ERROR
  }
}
