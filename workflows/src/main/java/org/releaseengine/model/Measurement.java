package org.releaseengine.model;

/**
 * One measurement of a check: when, the value (null: no data or an error), and the verdict. ERROR
 * means the query itself failed (Prometheus down, or a query it rejects): that is not "no data".
 */
public record Measurement(String check, long atMs, Double value, String verdict) {

  public static final String PASSED = "PASS";
  public static final String FAILED = "FAIL";
  public static final String NO_DATA = "NO_DATA";
  public static final String ERROR = "ERROR";
}
