package org.releaseengine.environment;

import java.util.List;

/**
 * One deploy or rollback the environment handled, in order, with its outcome and notes (where the
 * hosts disagreed with the record, a drain that ran out). No bean-style accessors here: Temporal's
 * JSON converter would serialise them as fields.
 */
public record Operation(
    String id,
    String kind,
    String sha,
    String requester,
    String state,
    String reason,
    long startedAtMs,
    long endedAtMs,
    List<String> notes) {

  public Operation(
      String id,
      String kind,
      String sha,
      String requester,
      String state,
      String reason,
      long startedAtMs,
      long endedAtMs) {
    this(id, kind, sha, requester, state, reason, startedAtMs, endedAtMs, null);
  }

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
