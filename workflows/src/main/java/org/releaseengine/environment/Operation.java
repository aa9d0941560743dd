package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;
import org.releaseengine.model.Spelled;

/**
 * One deploy or rollback the environment handled, in order, with its outcome and notes (where the
 * hosts disagreed with the record, a drain that ran out). No bean-style accessors here: Temporal's
 * JSON converter would serialise them as fields.
 */
public record Operation(
    String id,
    Kind kind,
    String sha,
    String requester,
    State state,
    String reason,
    long startedAtMs,
    long endedAtMs,
    List<String> notes) {

  public Operation(
      String id,
      Kind kind,
      String sha,
      String requester,
      State state,
      String reason,
      long startedAtMs,
      long endedAtMs) {
    this(id, kind, sha, requester, state, reason, startedAtMs, endedAtMs, null);
  }

  /** The same operation with {@code note} after its notes. */
  public Operation withNote(String note) {
    List<String> all = new java.util.ArrayList<>(notes == null ? List.of() : notes);
    all.add(note);
    return new Operation(
        id, kind, sha, requester, state, reason, startedAtMs, endedAtMs, List.copyOf(all));
  }

  public boolean finished() {
    return state != State.RUNNING;
  }

  /**
   * What the environment did: a deploy, or a rollback (also how a deployment went live); or, once
   * at the start of a run that started empty after a restart, the rebuild of its record (it changes
   * nothing on the hosts).
   */
  public enum Kind implements Spelled {
    DEPLOY("deploy"),
    ROLLBACK("rollback"),
    REBUILD("rebuild");

    private final String value;

    Kind(String value) {
      this.value = value;
    }

    /** The spelling in the JSON and the histories. */
    @Override
    @JsonValue
    public String value() {
      return value;
    }

    @JsonCreator
    static Kind of(String value) {
      return Spelled.strict(Kind.class, value, "operation kind");
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /**
   * Where an operation stands: running until it ends in one of the others. Written as its name, as
   * {@code ReleaseState} is: a renamed member would no longer read the histories.
   */
  public enum State {
    RUNNING,
    SUCCEEDED,
    FAILED,
    CANCELLED,
    /** Never started: the environment or the operator policy said no. */
    REFUSED
  }
}
