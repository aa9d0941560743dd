package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.TestSigners;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Approval;
import org.releaseengine.model.Decision;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.signing.DecisionPayload;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;

/**
 * Decisions as signed Workflow Updates: the decider is the principal whose key signed, and every
 * way to get around that is refused with its reason, at once, and in the audit trail.
 */
class SignedDecisionsTest {

  @TempDir static Path keys;
  static TestSigners people;
  static TestSigners strangers;

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @BeforeAll
  static void makeKeys() {
    people = TestSigners.create(keys.resolve("people"), List.of("bob", "mallory", "erin"));
    strangers = TestSigners.create(keys.resolve("strangers"), List.of("bob"));
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private ReleaseWorkflow awaitingApproval(String sha) {
    engine.policy.allowedSigners = people.allowedSigners();
    engine.policy.signedAdmissions = true;
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    return release;
  }

  private static String id(String sha) {
    return EngineNames.releaseId("shop", sha);
  }

  private static DecisionSubject approve(String sha) {
    return DecisionSubject.approve(id(sha), StandInStages.digestOf(sha));
  }

  @Test
  void aSignedApprovalNamesItsGateAndCountsAtNoOther() {
    engine.policy.allowedSigners = people.allowedSigners();
    engine.policy.signedAdmissions = true;
    ReleaseWorkflow release = engine.start(Specs.request(Specs.listed("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    String digest = StandInStages.digestOf(SHA_1);
    DecisionOutcome unnamed =
        release.decide(people.sign("bob", DecisionSubject.approve(id(SHA_1), digest), null));
    assertFalse(unnamed.accepted(), "a listed walk's gate must be named: " + unnamed);
    DecisionOutcome eu =
        release.decide(
            people.sign("bob", DecisionSubject.approve(id(SHA_1), digest, "production-eu"), null));
    assertTrue(eu.accepted(), eu.toString());
    engine.awaitStatus(
        release,
        s ->
            s.state() == ReleaseState.AWAITING_APPROVAL
                && "approval production-us".equals(s.currentStageLabel()));

    DecisionOutcome late =
        release.decide(
            people.sign("erin", DecisionSubject.approve(id(SHA_1), digest, "production-eu"), null));
    assertFalse(late.accepted(), "signed for production-eu, sent at production-us: " + late);
    DecisionOutcome us =
        release.decide(
            people.sign("bob", DecisionSubject.approve(id(SHA_1), digest, "production-us"), null));
    assertTrue(us.accepted(), "each gate counts its own approvals: " + us);
    assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());
  }

  @Test
  void aSignedApprovalCountsAsItsSignerWithTheKeyRecorded() {
    ReleaseWorkflow release = awaitingApproval(SHA_1);
    DecisionOutcome outcome = release.decide(people.sign("bob", approve(SHA_1), "ship it"));
    assertTrue(outcome.accepted(), outcome.toString());
    assertEquals("bob", outcome.by());
    assertTrue(outcome.key().startsWith("SHA256:"), outcome.key());
    ReleaseStatus done = engine.result(release);
    assertEquals(ReleaseState.SUCCEEDED, done.state());
    Decision approval = done.decisions().get(0);
    assertEquals("bob", approval.by());
    assertEquals(outcome.key(), approval.key());
    assertEquals("ship it", approval.comment());
  }

  @Test
  void everyWayAroundTheSignatureIsRefusedAndRecorded() throws Exception {
    ReleaseWorkflow release = awaitingApproval(SHA_1);
    // an unsigned signal, as anyone who reaches Temporal could send
    release.approve(new Approval("bob", null));
    // a key the allowed_signers file does not list, claiming to be bob
    refused(release, strangers.sign("bob", approve(SHA_1), null), "is not in allowed_signers");
    // a signature made for another release's digest
    refused(
        release,
        people.sign("bob", DecisionSubject.approve(id(SHA_1), StandInStages.digestOf(SHA_2)), null),
        "digest");
    // bob's approval of another release, sent to this one
    refused(
        release,
        people.sign("bob", DecisionSubject.approve(id(SHA_2), StandInStages.digestOf(SHA_1)), null),
        "target " + id(SHA_2));
    // a tampered payload: bob signed an approval, someone turned it into a rejection
    SignedDecision signed = people.sign("bob", approve(SHA_1), null);
    DecisionPayload tampered =
        DecisionPayload.of(
            DecisionSubject.reject(id(SHA_1), StandInStages.digestOf(SHA_1)),
            signed.payload().time(),
            signed.payload().requestId());
    refused(release, new SignedDecision(tampered, signed.signature(), null), "signature");
    // an old signature
    refused(
        release,
        people.sign("bob", approve(SHA_1), Instant.now().minus(Duration.ofHours(1)), null),
        "sign it again");
    // a listed key that is no approver
    refused(release, people.sign("mallory", approve(SHA_1), null), "not an allowed approver");

    ReleaseStatus now = release.status();
    assertEquals(ReleaseState.AWAITING_APPROVAL, now.state(), "nothing was approved");
    assertEquals(List.of(), now.approvers());
    assertEquals(7, now.refusedSignals().size(), now.refusedSignals().toString());
    assertTrue(now.refusedSignals().get(0).reason().startsWith("unsigned decision refused"));

    // and a replayed request id: accepted once, refused the second time
    SignedDecision once = people.sign("bob", approve(SHA_1), null);
    assertTrue(release.decide(once).accepted());
    assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());
  }

  @Test
  void aReplayedRequestIdIsRefused() {
    ReleaseWorkflow release = awaitingApproval(SHA_1);
    // a verified promote (refused only because no canary runs) uses up its request id
    SignedDecision promote =
        people.sign("bob", DecisionSubject.promote(id(SHA_1), StandInStages.digestOf(SHA_1)), null);
    DecisionOutcome first = release.decide(promote);
    assertEquals("no canary step is running", first.message());
    DecisionOutcome again = release.decide(promote);
    assertFalse(again.accepted());
    assertTrue(again.message().contains("was already used"), again.message());
    assertEquals(ReleaseState.AWAITING_APPROVAL, release.status().state());
  }

  @Test
  void aSignedRollbackIsCarriedOutAndAnUnsignedOrForbiddenOneIsNot() {
    ReleaseWorkflow first = awaitingApproval(SHA_1);
    first.decide(people.sign("bob", approve(SHA_1), null));
    engine.result(first);
    ReleaseWorkflow second = awaitingApproval(SHA_2);
    second.decide(people.sign("bob", approve(SHA_2), null));
    engine.result(second);

    engine.policy.rollbackers = List.of("erin");
    EnvironmentWorkflow production =
        engine.client.newWorkflowStub(
            EnvironmentWorkflow.class, EngineNames.environmentId("shop", "production"));
    Operation done =
        production.requestRollback(
            people.sign("erin", DecisionSubject.rollback("shop", "production", SHA_1), null));
    assertEquals(Operation.State.SUCCEEDED, done.state(), done.toString());
    assertEquals("erin", done.requester());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());

    Operation forbidden =
        production.requestRollback(
            people.sign("mallory", DecisionSubject.rollback("shop", "production", SHA_2), null));
    assertEquals(Operation.State.REFUSED, forbidden.state());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
  }

  private static void refused(ReleaseWorkflow release, SignedDecision decision, String why) {
    DecisionOutcome outcome = release.decide(decision);
    assertFalse(outcome.accepted(), outcome.toString());
    assertTrue(outcome.message().contains(why), outcome.message());
  }
}
