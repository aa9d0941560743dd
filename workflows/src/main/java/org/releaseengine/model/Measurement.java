package org.releaseengine.model;

/** One measurement of a check: when, the value (null: no data), and the verdict. */
public record Measurement(String check, long atMs, Double value, String verdict) {

  public static final String PASSED = "PASS";
  public static final String FAILED = "FAIL";
  public static final String NO_DATA = "NO_DATA";
}
