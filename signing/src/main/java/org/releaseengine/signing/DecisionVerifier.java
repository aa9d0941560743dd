package org.releaseengine.signing;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Predicate;
import org.releaseengine.signing.AllowedSigners.Entry;
import org.releaseengine.signing.Verdict.Reason;
import org.releaseengine.signing.Verdict.Refused;
import org.releaseengine.signing.Verdict.Verified;

/**
 * Decides whether a signed decision counts, and whose it is. Nothing here reads a clock or a file:
 * the allowed_signers text, the current instant and the used request ids are given, so the same
 * inputs give the same verdict in a workflow, an activity or a test.
 *
 * <p>The checks, in order: the signature parses and is for namespace {@value
 * DecisionPayload#NAMESPACE}; its key is listed; listed for this namespace, now, and (when asked)
 * for the expected principal; the signature verifies over the payload's canonical text; the payload
 * is the expected decision; it was signed within {@code maxAge} and not more than {@code
 * maxClockSkew} ahead of now; its request id is new. The caller records the request id as used once
 * it acts on the decision.
 */
public final class DecisionVerifier {

  private final AllowedSigners allowedSigners;
  private final Duration maxAge;
  private final Duration maxClockSkew;

  public DecisionVerifier(AllowedSigners allowedSigners, Duration maxAge, Duration maxClockSkew) {
    if (maxAge.isNegative() || maxClockSkew.isNegative()) {
      throw new IllegalArgumentException("maxAge and maxClockSkew must not be negative");
    }
    this.allowedSigners = allowedSigners;
    this.maxAge = maxAge;
    this.maxClockSkew = maxClockSkew;
  }

  /**
   * As {@link #verify(DecisionPayload, String, DecisionSubject, String, Instant, Predicate)}
   * without an expected principal: the key must then belong to exactly one literal principal.
   */
  public Verdict verify(
      DecisionPayload payload,
      String armoredSignature,
      DecisionSubject expected,
      Instant now,
      Predicate<String> requestIdUsed) {
    return verify(payload, armoredSignature, expected, null, now, requestIdUsed);
  }

  /**
   * Verifies {@code armoredSignature} over {@code payload} as the decision {@code expected}, at
   * {@code now}. When {@code principal} is given (who the decision says decided), the key's line
   * must match it and it is the verified principal; when null, the key's line must name exactly one
   * principal without wildcards, and that is the one.
   */
  public Verdict verify(
      DecisionPayload payload,
      String armoredSignature,
      DecisionSubject expected,
      String principal,
      Instant now,
      Predicate<String> requestIdUsed) {
    Objects.requireNonNull(payload, "payload");
    Objects.requireNonNull(expected, "expected decision");
    Objects.requireNonNull(now, "now");
    Objects.requireNonNull(requestIdUsed, "requestIdUsed");
    SshSignature signature;
    try {
      signature = SshSignature.parse(armoredSignature);
    } catch (SigningException e) {
      return refuse(Reason.BAD_SIGNATURE, e.getMessage());
    }
    if (!signature.namespace().equals(DecisionPayload.NAMESPACE)) {
      return refuse(
          Reason.BAD_SIGNATURE,
          "signature is for namespace '"
              + signature.namespace()
              + "', not '"
              + DecisionPayload.NAMESPACE
              + "'");
    }
    SshPublicKey key = signature.publicKey();
    Verdict signer = signer(key, principal, now);
    if (signer instanceof Refused) {
      return signer;
    }
    try {
      payload.validate();
    } catch (SigningException e) {
      return refuse(Reason.MALFORMED_PAYLOAD, e.getMessage());
    }
    try {
      signature.verify(payload.canonicalBytes(), DecisionPayload.NAMESPACE, key);
    } catch (SigningException e) {
      return refuse(Reason.BAD_SIGNATURE, e.getMessage());
    }
    if (!payload.subject().equals(expected)) {
      return refuse(Reason.WRONG_DECISION, difference(payload.subject(), expected));
    }
    Refused stale = stale(payload, now, requestIdUsed);
    return stale != null ? stale : signer;
  }

  /**
   * Why the decision is not a fresh one (signed more than {@code maxAge} ago, dated more than
   * {@code maxClockSkew} ahead of now, or its request id used already), or null when it is.
   */
  private Refused stale(DecisionPayload payload, Instant now, Predicate<String> requestIdUsed) {
    if (payload.time().isBefore(now.minus(maxAge))) {
      return refuse(
          Reason.TOO_OLD,
          "decision was signed at "
              + payload.time()
              + ", more than "
              + human(maxAge)
              + " before "
              + now
              + "; sign it again");
    }
    if (payload.time().isAfter(now.plus(maxClockSkew))) {
      return refuse(
          Reason.IN_THE_FUTURE,
          "decision is dated "
              + payload.time()
              + ", more than "
              + human(maxClockSkew)
              + " after "
              + now
              + "; check the signer's clock");
    }
    if (requestIdUsed.test(payload.requestId())) {
      return refuse(
          Reason.REQUEST_ID_REUSED,
          "request id " + payload.requestId() + " was already used; sign a new decision");
    }
    return null;
  }

  /** Who {@code key} signs for in our namespace at {@code now}, or why it may not. */
  private Verdict signer(SshPublicKey key, String principal, Instant now) {
    String fingerprint = key.fingerprint();
    List<Entry> listed = allowedSigners.entriesFor(key);
    if (listed.isEmpty()) {
      return refuse(
          Reason.UNKNOWN_KEY,
          "key " + fingerprint + " (" + key.type() + ") is not in allowed_signers");
    }
    if (key.usable() != null) {
      return refuse(Reason.KEY_NOT_ALLOWED, "key " + fingerprint + ": " + key.usable());
    }
    String namespace = DecisionPayload.NAMESPACE;
    List<Entry> inNamespace = listed.stream().filter(e -> e.allowsNamespace(namespace)).toList();
    if (inNamespace.isEmpty()) {
      return refuse(
          Reason.KEY_NOT_ALLOWED,
          "key "
              + fingerprint
              + " is not allowed for namespace "
              + namespace
              + " "
              + lines(listed));
    }
    List<Entry> valid = inNamespace.stream().filter(e -> e.validAt(now)).toList();
    if (valid.isEmpty()) {
      return refuse(
          Reason.KEY_NOT_ALLOWED, "key " + fingerprint + " " + validity(inNamespace, now));
    }
    if (principal != null) {
      return valid.stream().anyMatch(e -> e.matchesPrincipal(principal))
          ? new Verified(principal, fingerprint)
          : refuse(
              Reason.KEY_NOT_ALLOWED,
              "key "
                  + fingerprint
                  + " is not allowed for principal '"
                  + DecisionSubject.printable(principal)
                  + "' "
                  + lines(valid));
    }
    Set<String> literals = new LinkedHashSet<>();
    valid.forEach(e -> literals.addAll(e.literalPrincipals()));
    if (literals.size() != 1) {
      return refuse(
          Reason.KEY_NOT_ALLOWED,
          "key "
              + fingerprint
              + (literals.isEmpty()
                  ? " is listed only under patterns "
                  : " is listed for several principals ")
              + lines(valid)
              + ": the decision must name its principal");
    }
    return new Verified(literals.iterator().next(), fingerprint);
  }

  private static String lines(List<Entry> entries) {
    List<String> shown = new ArrayList<>();
    for (Entry entry : entries) {
      shown.add(
          "line "
              + entry.line()
              + ": "
              + entry.principals()
              + (entry.namespaces() == null ? "" : " namespaces=\"" + entry.namespaces() + "\""));
    }
    return "(allowed_signers " + String.join("; ", shown) + ")";
  }

  private static String validity(List<Entry> entries, Instant now) {
    List<String> shown = new ArrayList<>();
    for (Entry entry : entries) {
      if (entry.validBefore() != null && now.isAfter(entry.validBefore())) {
        shown.add("expired at " + entry.validBefore() + " (line " + entry.line() + ")");
      } else {
        shown.add("is not valid before " + entry.validAfter() + " (line " + entry.line() + ")");
      }
    }
    return String.join(" and ", shown) + "; now is " + now;
  }

  private static String difference(DecisionSubject signed, DecisionSubject expected) {
    List<String> differences = new ArrayList<>();
    compare(differences, "kind", signed.kind(), expected.kind());
    compare(differences, "target", signed.target(), expected.target());
    compare(differences, "digest", signed.digest(), expected.digest());
    compare(differences, "sha", signed.sha(), expected.sha());
    compare(differences, "environment", signed.environment(), expected.environment());
    compare(differences, "specHash", signed.specHash(), expected.specHash());
    return "signed decision is not the one being made: " + String.join(", ", differences);
  }

  private static void compare(
      List<String> differences, String field, Object signed, Object wanted) {
    if (signed == null ? wanted != null : !signed.equals(wanted)) {
      differences.add(field + " " + signed + " (expected " + wanted + ")");
    }
  }

  private static String human(Duration duration) {
    return duration.toString().substring(2).toLowerCase(java.util.Locale.ROOT);
  }

  private static Refused refuse(Reason reason, String message) {
    return new Refused(reason, message);
  }
}
