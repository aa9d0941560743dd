package org.releaseengine.stage;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;

/** Turns a Temporal failure chain into the one line a person should read. */
public final class Failures {

  private Failures() {}

  public static String describe(Throwable failure) {
    String fallback = failure.getMessage();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return app.getOriginalMessage();
      }
      if (t instanceof TimeoutFailure timeout) {
        return "timed out (" + timeout.getTimeoutType().name().toLowerCase().replace("timeout_type_", "")
            + ")";
      }
      if (t instanceof CanceledFailure) {
        fallback = "cancelled";
      }
    }
    return fallback;
  }
}
