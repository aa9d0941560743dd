package org.releaseengine.stage;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;

/** Turns a Temporal failure chain into the one line a person should read. */
public final class Failures {

  private Failures() {}

  /** The log tail an activity attached to its failure (e.g. a build's last lines), or null. */
  public static String logTail(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app
          && app.getDetails() != null
          && app.getDetails().getSize() > 0) {
        try {
          return app.getDetails().get(0, String.class);
        } catch (RuntimeException notText) {
          return null;
        }
      }
    }
    return null;
  }

  public static String describe(Throwable failure) {
    String fallback = failure.getMessage();
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app) {
        return app.getOriginalMessage();
      }
      if (t instanceof TimeoutFailure timeout) {
        return "timed out ("
            + timeout.getTimeoutType().name().toLowerCase().replace("timeout_type_", "")
            + ")";
      }
      if (t instanceof CanceledFailure) {
        fallback = "cancelled";
      }
    }
    return fallback;
  }
}
