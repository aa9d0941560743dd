package org.releaseengine.environment;

/**
 * One deploy or rollback the environment handled, in order, with its outcome. No bean-style
 * accessors here: Temporal's JSON converter would serialise them as fields.
 */
public record Operation(
    String id,
    String kind,
    String sha,
    String requester,
    String state,
    String reason,
    long startedAtMs,
    long endedAtMs) {

  public static final String DEPLOY = "deploy";
  public static final String ROLLBACK = "rollback";
  public static final String RUNNING = "RUNNING";
  public static final String SUCCEEDED = "SUCCEEDED";
  public static final String FAILED = "FAILED";
  public static final String CANCELLED = "CANCELLED";
  public static final String REFUSED = "REFUSED";

  public boolean finished() {
    return !RUNNING.equals(state);
  }
}
