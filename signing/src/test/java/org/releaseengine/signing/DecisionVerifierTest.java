package org.releaseengine.signing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.signing.DecisionPayloadTest.DIGEST;
import static org.releaseengine.signing.DecisionPayloadTest.RELEASE;
import static org.releaseengine.signing.DecisionPayloadTest.SHA;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.signing.Verdict.Reason;
import org.releaseengine.signing.Verdict.Refused;
import org.releaseengine.signing.Verdict.Verified;

/**
 * Signatures made by the real ssh-keygen, checked by the verifier and, where OpenSSH has an
 * opinion, by {@code ssh-keygen -Y verify} against the same allowed_signers file.
 */
class DecisionVerifierTest {

  private static final String NS = DecisionPayload.NAMESPACE;
  private static final Instant TIME = Instant.parse("2025-06-01T12:00:00Z");
  private static final Instant NOW = TIME.plusSeconds(30);
  private static final Duration MAX_AGE = Duration.ofMinutes(10);
  private static final Duration SKEW = Duration.ofMinutes(2);
  private static final Predicate<String> NONE_USED = id -> false;
  private static final DecisionSubject APPROVE = DecisionSubject.approve(RELEASE, DIGEST);

  @TempDir static Path dir;
  private static Path ann;
  private static Path bo;
  private static Path carol;
  private static Path dave;
  private static Path erin;
  private static Path mallory;
  private static Path allowedSigners;
  private static DecisionVerifier verifier;

  @BeforeAll
  static void keysAndAllowedSigners() throws Exception {
    ann = OpenSsh.keygen(dir, "ann", "ed25519", 0);
    bo = OpenSsh.keygen(dir, "bo", "ecdsa", 256);
    carol = OpenSsh.keygen(dir, "carol", "rsa", 3072);
    dave = OpenSsh.keygen(dir, "dave", "ecdsa", 384);
    erin = OpenSsh.keygen(dir, "erin", "ecdsa", 521);
    mallory = OpenSsh.keygen(dir, "mallory", "ed25519", 0);
    String text =
        "# who may decide releases\n"
            + "ann@example.com namespaces=\"release-engine\" "
            + line(ann)
            + "bo@example.com,robert@example.com "
            + line(bo)
            + "*@ops.example.com "
            + line(carol)
            + "dave@example.com valid-before=\"20200101Z\" "
            + line(dave)
            + "erin@example.com namespaces=\"file\" "
            + line(erin);
    allowedSigners = Files.writeString(dir.resolve("allowed_signers"), text);
    verifier = new DecisionVerifier(AllowedSigners.parse(text), MAX_AGE, SKEW);
  }

  @Test
  void verifiesTheSignerAndOpenSshAgrees() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r1");
    String signature = OpenSsh.sign(ann, NS, payload.canonicalBytes());

    Verdict verdict = verifier.verify(payload, signature, APPROVE, NOW, NONE_USED);

    assertEquals(new Verified("ann@example.com", OpenSsh.fingerprint(ann)), verdict);
    assertTrue(verdict.verified());
    assertEquals(0, openSsh("ann@example.com", signature, payload).exitCode());
  }

  @Test
  void verifiesEveryKeyTypeForTheNamedPrincipal() throws Exception {
    DecisionSubject rollback = DecisionSubject.rollback("web", "production", SHA);
    DecisionPayload payload = payload(rollback, "r2");
    String byBo = OpenSsh.sign(bo, NS, payload.canonicalBytes());
    String byCarol = OpenSsh.sign(carol, NS, payload.canonicalBytes());

    assertEquals(
        new Verified("robert@example.com", OpenSsh.fingerprint(bo)),
        verifier.verify(payload, byBo, rollback, "robert@example.com", NOW, NONE_USED));
    assertEquals(
        new Verified("carol@ops.example.com", OpenSsh.fingerprint(carol)),
        verifier.verify(payload, byCarol, rollback, "carol@ops.example.com", NOW, NONE_USED));
    assertEquals(0, openSsh("robert@example.com", byBo, payload).exitCode());
    assertEquals(0, openSsh("carol@ops.example.com", byCarol, payload).exitCode());
  }

  @Test
  void refusesATamperedPayload() throws Exception {
    DecisionPayload signed = payload(APPROVE, "r3");
    String signature = OpenSsh.sign(ann, NS, signed.canonicalBytes());
    DecisionSubject other = DecisionSubject.approve(RELEASE, "sha256:" + "ef".repeat(32));
    DecisionPayload tampered = payload(other, "r3");

    assertRefused(
        Reason.BAD_SIGNATURE,
        "does not match the signed text",
        verifier.verify(tampered, signature, other, NOW, NONE_USED));
    assertNotEquals(0, openSsh("ann@example.com", signature, tampered).exitCode());
  }

  @Test
  void refusesASignatureForAnotherNamespace() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r4");
    String signature = OpenSsh.sign(ann, "git", payload.canonicalBytes());

    assertRefused(
        Reason.BAD_SIGNATURE,
        "signature is for namespace 'git', not 'release-engine'",
        verifier.verify(payload, signature, APPROVE, NOW, NONE_USED));
  }

  @Test
  void refusesAnUnknownKey() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r5");
    String signature = OpenSsh.sign(mallory, NS, payload.canonicalBytes());

    assertRefused(
        Reason.UNKNOWN_KEY,
        "key " + OpenSsh.fingerprint(mallory) + " (ssh-ed25519) is not in allowed_signers",
        verifier.verify(payload, signature, APPROVE, NOW, NONE_USED));
    assertNotEquals(0, openSsh("ann@example.com", signature, payload).exitCode());
  }

  @Test
  void refusesAKeyListedForOtherNamespacesOnly() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r6");
    String signature = OpenSsh.sign(erin, NS, payload.canonicalBytes());

    assertRefused(
        Reason.KEY_NOT_ALLOWED,
        "is not allowed for namespace release-engine (allowed_signers line 6: erin@example.com"
            + " namespaces=\"file\")",
        verifier.verify(payload, signature, APPROVE, NOW, NONE_USED));
    assertNotEquals(0, openSsh("erin@example.com", signature, payload).exitCode());
  }

  @Test
  void refusesAKeyPastItsValidBefore() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r7");
    String signature = OpenSsh.sign(dave, NS, payload.canonicalBytes());

    assertRefused(
        Reason.KEY_NOT_ALLOWED,
        "expired at 2020-01-01T00:00:00Z (line 5)",
        verifier.verify(payload, signature, APPROVE, NOW, NONE_USED));
    assertNotEquals(0, openSsh("dave@example.com", signature, payload).exitCode());
  }

  @Test
  void refusesAPrincipalOutsideTheKeysPatterns() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r8");
    String signature = OpenSsh.sign(carol, NS, payload.canonicalBytes());

    assertRefused(
        Reason.KEY_NOT_ALLOWED,
        "is not allowed for principal 'carol@example.com' (allowed_signers line 4:"
            + " *@ops.example.com)",
        verifier.verify(payload, signature, APPROVE, "carol@example.com", NOW, NONE_USED));
    assertNotEquals(0, openSsh("carol@example.com", signature, payload).exitCode());
    assertRefused(
        Reason.KEY_NOT_ALLOWED,
        "is listed only under patterns (allowed_signers line 4: *@ops.example.com): the decision"
            + " must name its principal",
        verifier.verify(payload, signature, APPROVE, NOW, NONE_USED));
  }

  @Test
  void refusesToChooseAmongSeveralPrincipals() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r9");
    String signature = OpenSsh.sign(bo, NS, payload.canonicalBytes());

    assertRefused(
        Reason.KEY_NOT_ALLOWED,
        "is listed for several principals",
        verifier.verify(payload, signature, APPROVE, NOW, NONE_USED));
  }

  @Test
  void refusesAReusedRequestId() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r10");
    String signature = OpenSsh.sign(ann, NS, payload.canonicalBytes());
    Set<String> used = Set.of(payload.requestId());

    assertRefused(
        Reason.REQUEST_ID_REUSED,
        "request id " + payload.requestId() + " was already used",
        verifier.verify(payload, signature, APPROVE, NOW, used::contains));
  }

  @Test
  void refusesADecisionOlderThanTheMaximumAge() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r11");
    String signature = OpenSsh.sign(ann, NS, payload.canonicalBytes());

    assertTrue(
        verifier.verify(payload, signature, APPROVE, TIME.plus(MAX_AGE), NONE_USED).verified());
    assertRefused(
        Reason.TOO_OLD,
        "decision was signed at 2025-06-01T12:00:00Z, more than 10m before"
            + " 2025-06-01T12:10:01Z",
        verifier.verify(payload, signature, APPROVE, TIME.plus(MAX_AGE).plusSeconds(1), NONE_USED));
  }

  @Test
  void refusesADecisionDatedBeyondTheClockSkew() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r12");
    String signature = OpenSsh.sign(ann, NS, payload.canonicalBytes());

    assertTrue(
        verifier.verify(payload, signature, APPROVE, TIME.minus(SKEW), NONE_USED).verified());
    assertRefused(
        Reason.IN_THE_FUTURE,
        "decision is dated 2025-06-01T12:00:00Z, more than 2m after 2025-06-01T11:57:59Z",
        verifier.verify(payload, signature, APPROVE, TIME.minus(SKEW).minusSeconds(1), NONE_USED));
  }

  @Test
  void refusesAPayloadForAnotherDecision() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r13");
    String signature = OpenSsh.sign(ann, NS, payload.canonicalBytes());

    assertRefused(
        Reason.WRONG_DECISION,
        "target "
            + SubjectNames.releaseId("web", SHA)
            + " (expected "
            + SubjectNames.releaseId("api", SHA)
            + ")",
        verifier.verify(
            payload,
            signature,
            DecisionSubject.approve(SubjectNames.releaseId("api", SHA), DIGEST),
            NOW,
            NONE_USED));
    assertRefused(
        Reason.WRONG_DECISION,
        "kind approve (expected reject)",
        verifier.verify(
            payload, signature, DecisionSubject.reject(RELEASE, DIGEST), NOW, NONE_USED));
    assertRefused(
        Reason.WRONG_DECISION,
        "digest " + DIGEST + " (expected sha256:" + "00".repeat(32) + ")",
        verifier.verify(
            payload,
            signature,
            DecisionSubject.approve(RELEASE, "sha256:" + "00".repeat(32)),
            NOW,
            NONE_USED));
  }

  @Test
  void refusesMalformedSignaturesAndPayloads() throws Exception {
    DecisionPayload payload = payload(APPROVE, "r14");
    String signature = OpenSsh.sign(ann, NS, payload.canonicalBytes());
    DecisionPayload broken =
        new DecisionPayload(
            DecisionSubject.Kind.APPROVE, RELEASE, DIGEST, null, null, null, TIME, "short");

    assertRefused(
        Reason.BAD_SIGNATURE,
        "signature does not start with -----BEGIN SSH SIGNATURE-----",
        verifier.verify(payload, "not a signature", APPROVE, NOW, NONE_USED));
    assertRefused(
        Reason.MALFORMED_PAYLOAD,
        "requestId 'short' does not match",
        verifier.verify(broken, signature, APPROVE, NOW, NONE_USED));
  }

  private static DecisionPayload payload(DecisionSubject subject, String request)
      throws SigningException {
    return DecisionPayload.of(subject, TIME, "request-" + request + "-0123456789");
  }

  private static OpenSsh.Result openSsh(
      String principal, String signature, DecisionPayload payload) {
    return OpenSsh.verify(allowedSigners, principal, NS, signature, payload.canonicalBytes());
  }

  private static String line(Path key) throws Exception {
    return Files.readString(Path.of(key + ".pub"));
  }

  private static void assertRefused(Reason reason, String message, Verdict verdict) {
    assertTrue(verdict instanceof Refused, verdict.toString());
    Refused refused = (Refused) verdict;
    assertEquals(reason, refused.reason(), refused.message());
    assertTrue(refused.message().contains(message), refused.message());
  }
}
