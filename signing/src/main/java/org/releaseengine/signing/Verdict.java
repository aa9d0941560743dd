package org.releaseengine.signing;

/** What {@link DecisionVerifier} concluded: the verified signer, or the one reason it refused. */
public sealed interface Verdict {

  /** The signature holds: {@code principal} signed with the key of {@code fingerprint}. */
  record Verified(String principal, String fingerprint) implements Verdict {}

  /** The decision is refused for {@code reason}; {@code message} is one line for people. */
  record Refused(Reason reason, String message) implements Verdict {}

  /** Why a signed decision was refused, in the order the verifier checks. */
  enum Reason {
    /** Malformed, for another namespace, by another key than it names, or not over this text. */
    BAD_SIGNATURE,
    /** The payload itself is not a valid decision. */
    MALFORMED_PAYLOAD,
    /** The signing key is on no line of allowed_signers. */
    UNKNOWN_KEY,
    /** The key is listed, but not for this namespace, time or principal. */
    KEY_NOT_ALLOWED,
    /** The payload is for another kind, target, digest, sha or spec than the one decided. */
    WRONG_DECISION,
    /** Signed longer ago than the maximum age. */
    TOO_OLD,
    /** Signed further in the future than the clock skew allows. */
    IN_THE_FUTURE,
    /** The request id was used by an earlier decision. */
    REQUEST_ID_REUSED
  }

  default boolean verified() {
    return this instanceof Verified;
  }
}
