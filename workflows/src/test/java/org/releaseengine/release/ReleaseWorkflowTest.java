package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.StandInStages.Call;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

class ReleaseWorkflowTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  private ReleaseWorkflow startAndAwaitApproval(ReleaseSpec spec, String sha, String requester) {
    ReleaseWorkflow release = engine.start(Specs.request(spec, sha, requester));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    return release;
  }

  @Test
  void happyPathRunsEveryStageInOrderAndDeploysTheBuiltDigest() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    release.approve(new Approval("bob", "looks good"));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertEquals(List.of("bob"), done.approvers());
    assertEquals(StandInStages.digestOf(SHA_1), done.image().digest());
    assertEquals("127.0.0.1:5000/shop@" + StandInStages.digestOf(SHA_1), done.image().pinned());
    long previousEnd = 0;
    for (StageStatus stage : done.stages()) {
      boolean skipped = stage.stage() == Stage.SCAN || stage.stage() == Stage.E2E;
      assertEquals(
          skipped ? StageState.SKIPPED : StageState.SUCCEEDED, stage.state(), stage.toString());
      assertTrue(stage.startedAtMs() >= previousEnd, "stages overlap: " + done.stages());
      previousEnd = stage.endedAtMs();
    }
    List<String> order = engine.stages.calls.stream().map(Call::what).toList();
    assertEquals(List.of("build", "deploy", "deploy", "verify"), order);
    List<Call> deploys = engine.stages.calls("deploy");
    assertEquals(
        List.of("staging", "production"), deploys.stream().map(Call::environment).toList());
    for (Call deploy : deploys) {
      assertEquals(done.image().pinned(), deploy.image(), "every deploy uses the built digest");
    }
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
    assertEquals(SHA_1, engine.environment("shop", "staging").liveSha());
  }

  @Test
  void noticesFollowTheReleaseAndStopWhenTheWorkerHasNoSlack() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    release.approve(new Approval("bob", null));
    engine.result(release);
    var notices = engine.notifier.notices;
    // the last notice goes out after the release has ended (its status already says SUCCEEDED)
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (!notices.get(notices.size() - 1).status().state().isFinal()
        && System.nanoTime() < deadline) {
      EngineTestEnvironment.sleep(20);
    }
    assertTrue(notices.size() >= 3, "a notice per burst of changes: " + notices.size());
    assertEquals("", notices.get(0).messageRef(), "the first notice posts the message");
    assertTrue(
        notices.stream().skip(1).allMatch(n -> n.messageRef().equals("C1|1700000000.000100")),
        "the others update it");
    assertEquals(
        ReleaseState.SUCCEEDED,
        notices.get(notices.size() - 1).status().state(),
        "the last one is final");

    engine.notifier.disabled = true;
    int before = notices.size();
    ReleaseWorkflow quiet = startAndAwaitApproval(Specs.spec("other"), SHA_2, "dave");
    quiet.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(quiet).state());
    assertEquals(before + 1, notices.size(), "one notice, answered 'no Slack here', then none");
  }

  @Test
  void rejectionEndsTheReleaseBeforeProduction() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    release.reject(new Approval("carol", "not during the sale"));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.REJECTED, done.state());
    assertEquals(Stage.APPROVAL, done.failedStage());
    assertEquals("rejected by carol: not during the sale", done.reason());
    assertEquals(
        List.of("staging"), engine.stages.calls("deploy").stream().map(Call::environment).toList());
  }

  @Test
  void approvalTimeoutExpiresTheRelease() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    ReleaseStatus done = engine.resultSkippingTime(release); // time skips the 24 h wait

    assertEquals(ReleaseState.EXPIRED, done.state());
    assertEquals("no approval within 24h", done.reason());
    assertEquals(StageState.FAILED, done.stage(Stage.APPROVAL).state());
    assertEquals(StageState.PENDING, done.stage(Stage.DEPLOY_PRODUCTION).state());
  }

  @Test
  void approverNotListedIsRefusedAndTheReleaseKeepsWaiting() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    release.approve(new Approval("mallory", null));
    ReleaseStatus waiting = engine.awaitStatus(release, s -> !s.refusedSignals().isEmpty());

    assertEquals(ReleaseState.AWAITING_APPROVAL, waiting.state());
    assertEquals(
        "mallory is not an allowed approver (allowed: alice, bob, carol)",
        waiting.refusedSignals().get(0).reason());
    release.approve(new Approval("alice", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());
  }

  @Test
  void refusedSignalsStayBoundedAndCountTheOldestNoLongerListed() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    int sent = 80;
    for (int i = 0; i < sent; i++) {
      release.approve(new Approval("mallory-" + i, null));
    }
    ReleaseStatus waiting = engine.awaitStatus(release, s -> s.refusedSignalsTotal() == sent);
    assertEquals(50, waiting.refusedSignals().size(), "the newest 50 refusals are listed");
    assertEquals(sent - 50, waiting.refusedSignalsDropped(), "the older ones are counted");
    assertEquals("mallory-" + (sent - 1), waiting.refusedSignals().get(49).by());
    assertEquals("mallory-" + (sent - 50), waiting.refusedSignals().get(0).by());
    release.approve(new Approval("alice", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());
  }

  @Test
  void requesterCannotApproveTheirOwnRelease() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "alice");
    release.approve(new Approval("alice", null));
    ReleaseStatus waiting = engine.awaitStatus(release, s -> !s.refusedSignals().isEmpty());

    assertEquals(ReleaseState.AWAITING_APPROVAL, waiting.state());
    assertEquals(
        "alice requested this release and self-approval is not allowed",
        waiting.refusedSignals().get(0).reason());
    assertTrue(waiting.approvers().isEmpty());
  }

  @Test
  void selfApprovalCountsWhenTheSpecAllowsIt() {
    ReleaseSpec spec =
        Specs.spec(
            "shop", new ApprovalPolicy(List.of("alice", "bob"), 1, true, Duration.ofHours(1)));
    ReleaseWorkflow release = startAndAwaitApproval(spec, SHA_1, "alice");
    release.approve(new Approval("alice", null));
    assertEquals(List.of("alice"), engine.result(release).approvers());
  }

  @Test
  void quorumOfTwoNeedsTwoDistinctApprovers() {
    ReleaseSpec spec =
        Specs.spec(
            "shop",
            new ApprovalPolicy(List.of("alice", "bob", "carol"), 2, false, Duration.ofHours(24)));
    ReleaseWorkflow release = startAndAwaitApproval(spec, SHA_1, "dave");
    release.approve(new Approval("alice", null));
    release.approve(new Approval("alice", "again"));
    ReleaseStatus waiting = engine.awaitStatus(release, s -> s.refusedSignals().size() == 1);

    assertEquals(ReleaseState.AWAITING_APPROVAL, waiting.state());
    assertEquals(List.of("alice"), waiting.approvers());
    assertEquals(
        "alice has already approved this release", waiting.refusedSignals().get(0).reason());

    release.approve(new Approval("carol", null));
    ReleaseStatus done = engine.result(release);
    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertEquals(List.of("alice", "carol"), done.approvers());
  }

  @Test
  void approvalBeforeTheReleaseWaitsIsRefused() {
    engine.stages.deployTime = Duration.ofMillis(1500);
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    release.approve(new Approval("bob", null));
    ReleaseStatus status = engine.awaitStatus(release, s -> !s.refusedSignals().isEmpty());

    assertTrue(
        status
            .refusedSignals()
            .get(0)
            .reason()
            .startsWith("the release is not awaiting approval (RUNNING, stage deploy staging)"));
    assertTrue(status.approvers().isEmpty());
  }

  @Test
  void failedBuildStopsEverythingAfterIt() {
    engine.stages.failing.add("build");
    ReleaseStatus done =
        engine.result(engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave")));

    assertEquals(ReleaseState.FAILED, done.state());
    assertEquals(Stage.BUILD, done.failedStage());
    assertEquals(
        "docker build failed: Dockerfile line 3: unknown instruction COPYY", done.reason());
    assertEquals(
        1, engine.stages.calls.size(), "a non-retryable failure runs once: " + engine.stages.calls);
    for (Stage later : List.of(Stage.SCAN, Stage.DEPLOY_STAGING, Stage.APPROVAL, Stage.VERIFY)) {
      assertEquals(StageState.PENDING, done.stage(later).state());
    }
    // the last notice is sent after the release has ended (its status already says FAILED)
    String reply = awaitThreadReply();
    assertTrue(reply.startsWith("FAILED at build: docker build failed"), reply);
    assertTrue(
        reply.contains("unknown instruction: COPYY"),
        "the build's log tail goes in the thread: " + reply);
  }

  private String awaitThreadReply() {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (System.nanoTime() < deadline) {
      var reply =
          engine.notifier.notices.stream()
              .map(n -> n.threadReply())
              .filter(r -> r != null)
              .findFirst();
      if (reply.isPresent()) {
        return reply.get();
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
    }
    throw new AssertionError("no thread reply within 30 s: " + engine.notifier.notices);
  }

  @Test
  void failedStagingDeployStopsBeforeApprovalAndLeavesProductionAlone() {
    engine.stages.failing.add("deploy:staging");
    ReleaseStatus done =
        engine.result(engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave")));

    assertEquals(ReleaseState.FAILED, done.state());
    assertEquals(Stage.DEPLOY_STAGING, done.failedStage());
    assertTrue(done.reason().contains("health check of the blue slot failed"), done.reason());
    assertTrue(engine.stages.calls.stream().noneMatch(c -> "production".equals(c.environment())));
  }

  @Test
  void failedScanStopsTheReleaseBeforeStagingAndSaysWhy() {
    engine.stages.failing.add("scan");
    ReleaseWorkflow release = engine.start(Specs.request(Specs.withGates("shop"), SHA_1, "dave"));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.FAILED, done.state());
    assertEquals(Stage.SCAN, done.failedStage());
    assertEquals("scan failed: 1 critical finding (CVE-2024-0001)", done.reason());
    assertEquals(
        "scan failed: 1 critical finding (CVE-2024-0001)",
        release.status().stage(Stage.SCAN).summary());
    assertTrue(engine.stages.calls("deploy").isEmpty(), "nothing deployed");
  }

  @Test
  void failedE2eStopsTheReleaseBeforeApprovalAndSaysWhy() {
    engine.stages.failing.add("e2e");
    ReleaseWorkflow release = engine.start(Specs.request(Specs.withGates("shop"), SHA_1, "dave"));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.FAILED, done.state());
    assertEquals(Stage.E2E, done.failedStage());
    assertEquals("e2e failed: 1 critical finding (CVE-2024-0001)", release.status().reason());
    assertEquals(StageState.PENDING, done.stage(Stage.APPROVAL).state());
    assertEquals(
        List.of("staging"),
        engine.stages.calls("deploy").stream().map(Call::environment).toList(),
        "staging keeps the new version; production is untouched");
    assertEquals(SHA_1, engine.environment("shop", "staging").liveSha());
  }

  @Test
  void abortWhileWaitingForApprovalEndsAborted() {
    ReleaseWorkflow release = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    release.abort(new AbortRequest("erin", "wrong branch"));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.ABORTED, done.state());
    assertEquals("aborted by erin: wrong branch", done.reason());
    assertEquals(StageState.CANCELLED, done.stage(Stage.APPROVAL).state());
  }

  @Test
  void abortDuringADeployCancelsItInTheEnvironment() {
    engine.stages.deployTime = Duration.ofSeconds(20);
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    awaitLatch();
    release.abort(new AbortRequest("erin", null));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.ABORTED, done.state());
    assertEquals(Stage.DEPLOY_STAGING, done.failedStage());
    String orderId = engine.environment("shop", "staging").operations().get(0).id();
    var op = engine.awaitOperation("shop", "staging", orderId);
    assertEquals(Operation.State.CANCELLED, op.state());
    assertEquals("cancelled", engine.stages.calls("deploy").get(0).outcome());
    assertNull(engine.environment("shop", "staging").liveSha());
  }

  @Test
  void abortDuringADeployWaitsForTheEnvironmentAndReportsWhatItCouldNotUndo() {
    engine.stages.deployTime = Duration.ofSeconds(20);
    engine.stages.failing.add("retire:staging");
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    awaitLatch();
    release.abort(new AbortRequest("erin", null));
    ReleaseStatus done = engine.result(release);

    assertEquals(ReleaseState.ABORTED, done.state());
    assertTrue(done.reason().startsWith("aborted by erin; staging: cancelled"), done.reason());
    assertTrue(
        done.reason().contains("could NOT undo the partial deploy")
            && done.reason().contains("connection refused"),
        "the environment's outcome is in the release's end state: " + done.reason());
  }

  @Test
  void failedVerificationRollsProductionBack() {
    ReleaseWorkflow first = startAndAwaitApproval(Specs.spec("shop"), SHA_1, "dave");
    first.approve(new Approval("bob", null));
    engine.result(first);
    engine.stages.failing.add("verify");
    ReleaseWorkflow second = startAndAwaitApproval(Specs.spec("shop"), SHA_2, "dave");
    second.approve(new Approval("bob", null));
    ReleaseStatus done = engine.result(second);

    assertEquals(ReleaseState.ROLLED_BACK, done.state());
    assertEquals(Stage.VERIFY, done.failedStage());
    assertTrue(done.reason().endsWith("production rolled back to " + SHA_1), done.reason());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
    Call switchBack = engine.stages.calls("switch").get(0);
    assertEquals("production", switchBack.environment());
    assertEquals(SHA_1, switchBack.sha());
  }

  private void awaitLatch() {
    try {
      engine.stages.deployStarted.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
