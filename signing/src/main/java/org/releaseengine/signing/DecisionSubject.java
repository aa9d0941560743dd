package org.releaseengine.signing;

import com.fasterxml.jackson.annotation.JsonCreator;
import com.fasterxml.jackson.annotation.JsonValue;
import java.util.regex.Pattern;

/**
 * What a signed decision is about, without when or which request: the kind and the release or
 * environment it targets, plus the one detail each kind pins down. A verifier compares the signed
 * payload's subject with the subject it expects, so a signature for one release, digest or kind
 * never counts for another.
 *
 * <table>
 *   <caption>fields per kind</caption>
 *   <tr><th>kind</th><th>target</th><th>also</th></tr>
 *   <tr><td>approve, reject</td><td>release/&lt;service&gt;/&lt;sha&gt;</td><td>digest; environment
 *   (the approval gate's, for a release that lists its environments)</td></tr>
 *   <tr><td>promote</td><td>release/&lt;service&gt;/&lt;sha&gt;</td><td>digest</td></tr>
 *   <tr><td>abort</td><td>release/&lt;service&gt;/&lt;sha&gt;</td><td>-</td></tr>
 *   <tr><td>start</td><td>release/&lt;service&gt;/&lt;sha&gt;</td><td>specHash</td></tr>
 *   <tr><td>rollback</td><td>env/&lt;service&gt;/&lt;environment&gt;</td><td>sha, environment</td></tr>
 * </table>
 */
public record DecisionSubject(
    DecisionSubject.Kind kind,
    String target,
    String digest,
    String sha,
    String environment,
    String specHash) {

  /** A hash of the validated spec, written as the caller computed it (e.g. {@code sha256:…}). */
  static final Pattern SPEC_HASH = Pattern.compile("[A-Za-z0-9._:+/=-]{1,128}");

  /**
   * The decision a signature stands for. Spelled as the model's closed sets are, with a lookup of
   * its own: signing stands on the JDK alone.
   */
  public enum Kind {
    APPROVE("approve"),
    REJECT("reject"),
    ABORT("abort"),
    PROMOTE("promote"),
    ROLLBACK("rollback"),
    START("start");

    private final String value;

    Kind(String value) {
      this.value = value;
    }

    @JsonValue
    public String value() {
      return value;
    }

    /** The kind spelled {@code value}, or null when it is none. */
    public static Kind parse(String value) {
      for (Kind kind : values()) {
        if (kind.value.equals(value)) {
          return kind;
        }
      }
      return null;
    }

    @JsonCreator
    static Kind of(String value) {
      Kind kind = parse(value);
      if (kind == null && value != null) {
        throw new IllegalArgumentException("unknown decision kind '" + value + "'");
      }
      return kind;
    }

    @Override
    public String toString() {
      return value;
    }
  }

  public static DecisionSubject approve(String releaseId, String digest) {
    return approve(releaseId, digest, null);
  }

  /**
   * An approval of {@code releaseId}'s {@code digest} at the gate of {@code environment} (null: the
   * release's one gate, before production, of a release.yaml with the mapping): a signature for one
   * gate of a walk never counts at another.
   */
  public static DecisionSubject approve(String releaseId, String digest, String environment) {
    return new DecisionSubject(Kind.APPROVE, releaseId, digest, null, environment, null);
  }

  public static DecisionSubject reject(String releaseId, String digest) {
    return reject(releaseId, digest, null);
  }

  /**
   * A rejection at the gate of {@code environment}, as {@link #approve(String, String, String)}.
   */
  public static DecisionSubject reject(String releaseId, String digest, String environment) {
    return new DecisionSubject(Kind.REJECT, releaseId, digest, null, environment, null);
  }

  public static DecisionSubject promote(String releaseId, String digest) {
    return new DecisionSubject(Kind.PROMOTE, releaseId, digest, null, null, null);
  }

  public static DecisionSubject abort(String releaseId) {
    return new DecisionSubject(Kind.ABORT, releaseId, null, null, null, null);
  }

  public static DecisionSubject start(String releaseId, String specHash) {
    return new DecisionSubject(Kind.START, releaseId, null, null, null, specHash);
  }

  /** {@code sha} is what the requester named: a full sha or a unique prefix of at least 7. */
  public static DecisionSubject rollback(String service, String environment, String sha) {
    return new DecisionSubject(
        Kind.ROLLBACK,
        SubjectNames.environmentId(service, environment),
        null,
        sha,
        environment,
        null);
  }

  /**
   * Refuses, naming the field, a subject whose kind lacks a field, has a stray one or a bad one.
   */
  public void validate() throws SigningException {
    if (kind == null) {
      throw new SigningException("decision kind is missing");
    }
    boolean release = kind != Kind.ROLLBACK;
    check("target", target, release ? SubjectNames.RELEASE_ID : SubjectNames.ENVIRONMENT_ID, true);
    boolean digested = kind == Kind.APPROVE || kind == Kind.REJECT || kind == Kind.PROMOTE;
    check("digest", digest, SubjectNames.DIGEST, digested);
    check("sha", sha, SubjectNames.SHA_PREFIX, !release);
    boolean gated = kind == Kind.APPROVE || kind == Kind.REJECT;
    if (!(gated && environment == null)) {
      check("environment", environment, SubjectNames.NAME, !release || gated);
    }
    check("specHash", specHash, SPEC_HASH, kind == Kind.START);
    if (!release) {
      var id = SubjectNames.ENVIRONMENT_ID.matcher(target);
      if (id.matches() && !id.group(2).equals(environment)) {
        throw new SigningException(
            "rollback environment '" + environment + "' is not the one in target " + target);
      }
    }
  }

  private void check(String field, String value, Pattern pattern, boolean required)
      throws SigningException {
    if (!required) {
      if (value != null) {
        throw new SigningException(kind + " decision carries no " + field);
      }
      return;
    }
    if (value == null) {
      throw new SigningException(kind + " decision needs a " + field);
    }
    if (!pattern.matcher(value).matches()) {
      throw new SigningException(
          field + " '" + printable(value) + "' does not match " + pattern.pattern());
    }
  }

  /** A value as it may appear in a one-line message: control characters shown as '?'. */
  static String printable(String value) {
    String shown = value.length() > 80 ? value.substring(0, 80) + "…" : value;
    return shown
        .codePoints()
        .map(c -> Character.isISOControl(c) ? '?' : c)
        .collect(StringBuilder::new, StringBuilder::appendCodePoint, StringBuilder::append)
        .toString();
  }
}
