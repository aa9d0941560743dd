package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.List;

/**
 * An approval, rejection or canary promotion that the release accepted: the audit trail of who
 * decided, when, and how they proved it: {@code key} is the signing key's fingerprint ({@code
 * SHA256:…}) of a signed decision, {@code slack:U…} for a Slack click, null for an unsigned signal.
 */
public record Decision(Kind kind, String by, String comment, long atMs, String key) {

  public Decision(Kind kind, String by, String comment, long atMs) {
    this(kind, by, comment, atMs, null);
  }

  /** What was decided. */
  public enum Kind implements Spelled {
    APPROVE("approve"),
    REJECT("reject"),
    PROMOTE("promote");

    private final String value;

    Kind(String value) {
      this.value = value;
    }

    /** The spelling in release.yaml, the JSON and the histories. */
    @Override
    @JsonValue
    public String value() {
      return value;
    }

    /** The decision kind spelled {@code value}, or null when it is none. */
    public static Kind parse(String value) {
      return Spelled.parse(Kind.class, value);
    }

    @JsonCreator
    static Kind of(String value) {
      return Spelled.strict(Kind.class, value, "decision kind");
    }

    @Override
    public String toString() {
      return value;
    }
  }

  /** Who approved, in the order they did, among {@code decisions}. */
  public static List<String> approvers(List<Decision> decisions) {
    return decisions.stream().filter(d -> d.kind() == Kind.APPROVE).map(Decision::by).toList();
  }
}
