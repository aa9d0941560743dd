package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;

/**
 * One measurement of a check: when, the value (null: no data or an error), and the verdict. ERROR
 * means the query itself failed (Prometheus down, or a query it rejects): that is not "no data".
 */
public record Measurement(String check, long atMs, Double value, Verdict verdict) {

  /** What one measurement said about its check. */
  public enum Verdict implements Spelled {
    PASS("PASS"),
    FAIL("FAIL"),
    NO_DATA("NO_DATA"),
    ERROR("ERROR");

    private final String value;

    Verdict(String value) {
      this.value = value;
    }

    /** The spelling in the JSON, the histories and the CLI's status. */
    @Override
    @JsonValue
    public String value() {
      return value;
    }

    @JsonCreator
    static Verdict of(String value) {
      return Spelled.strict(Verdict.class, value, "measurement verdict");
    }

    @Override
    public String toString() {
      return value;
    }
  }
}
