package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;
import static org.releaseengine.Specs.SHA_3;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages.Call;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Slot;
import org.releaseengine.model.Stage;
import org.releaseengine.release.ReleaseWorkflow;

class EnvironmentWorkflowTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  private ReleaseStatus release(String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    ReleaseStatus done = engine.result(release);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.toString());
    EnvironmentView production = engine.environment("shop", "production");
    assertEquals(
        sha, production.liveSha(), "production after releasing " + sha + ": " + production);
    return done;
  }

  @Test
  void twoReleasesToOneEnvironmentNeverOverlap() {
    engine.stages.deployTime = Duration.ofMillis(400);
    ReleaseWorkflow first = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    // the second, newer release starts once the first has placed its staging order: an older
    // release whose order came second would be refused (it never overwrites a newer one)
    engine.awaitStatus(first, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    for (ReleaseWorkflow release : List.of(first, second)) {
      engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      release.approve(new Approval("carol", null));
    }
    assertEquals(ReleaseState.SUCCEEDED, engine.result(first).state());
    assertEquals(ReleaseState.SUCCEEDED, engine.result(second).state());

    for (String environment : List.of("staging", "production")) {
      List<Call> deploys =
          engine.stages.calls("deploy").stream()
              .filter(c -> c.environment().equals(environment))
              .toList();
      assertEquals(2, deploys.size());
      Call a = deploys.get(0);
      Call b = deploys.get(1);
      assertTrue(a.endNanos() <= b.startNanos(), environment + " deploys overlap: " + deploys);
      List<Operation> ops = engine.environment("shop", environment).operations();
      assertTrue(ops.get(0).endedAtMs() <= ops.get(1).startedAtMs(), ops.toString());
    }
  }

  @Test
  void anotherReleaseWaitsUntilStagingHasFinishedItsE2e() {
    engine.stages.e2eTime = Duration.ofSeconds(2);
    ReleaseWorkflow first = engine.start(Specs.request(Specs.withGates("shop"), SHA_1, "dave"));
    engine.awaitStatus(first, s -> s.currentStage() == Stage.E2E);
    ReleaseWorkflow second = engine.start(Specs.request(Specs.withGates("shop"), SHA_2, "dave"));
    for (ReleaseWorkflow release : List.of(first, second)) {
      engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    }

    Call firstE2e = engine.stages.calls("e2e").get(0);
    Call secondDeploy =
        engine.stages.calls("deploy").stream().filter(c -> SHA_2.equals(c.sha())).findFirst().get();
    assertEquals(SHA_1, firstE2e.sha());
    assertTrue(
        secondDeploy.startNanos() >= firstE2e.endNanos(),
        "staging was switched to " + SHA_2 + " under the E2E of " + SHA_1);
  }

  @Test
  void rollbackDuringADeployCancelsTheDeployFirst() {
    release(SHA_1);
    engine.stages.deployTime = Duration.ofSeconds(30);
    engine.stages.deployStarted = new CountDownLatch(1);
    ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    // staging first: the long deploy runs there
    engine.awaitStatus(second, s -> s.currentStage() == Stage.DEPLOY_STAGING);
    await(engine.stages.deployStarted);
    engine.rollback("shop", "staging", SHA_1.substring(0, 7), "erin", "rb-1");

    Operation rollback = engine.awaitOperation("shop", "staging", "rb-1");
    ReleaseStatus failed = engine.result(second);
    assertEquals(ReleaseState.FAILED, failed.state());
    assertEquals(Stage.DEPLOY_STAGING, failed.failedStage());
    assertEquals("cancelled: rollback to 1111111 requested by erin", failed.reason());
    assertEquals(Operation.State.SUCCEEDED, rollback.state());
    Call cancelled = engine.stages.calls("deploy").get(2);
    assertEquals("cancelled", cancelled.outcome());
    assertTrue(cancelled.endNanos() <= engine.stages.calls("retire").get(0).startNanos());
    EnvironmentView staging = engine.environment("shop", "staging");
    assertEquals(SHA_1, staging.liveSha());
    List<String> kinds =
        staging.operations().stream().map(o -> o.kind() + ":" + o.state()).toList();
    assertEquals(List.of("deploy:SUCCEEDED", "deploy:CANCELLED", "rollback:SUCCEEDED"), kinds);
  }

  @Test
  void rollbackToAShaTheEnvironmentNeverRanIsRefused() {
    release(SHA_1);
    engine.rollback("shop", "production", SHA_3, "erin", "rb-unknown");
    Operation refused = engine.awaitOperation("shop", "production", "rb-unknown");

    assertEquals(Operation.State.REFUSED, refused.state());
    assertEquals("production of shop never ran " + SHA_3, refused.reason());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
  }

  @Test
  void rollbackWithinTheWindowSwitchesToTheWarmSlot() {
    release(SHA_1);
    release(SHA_2);
    EnvironmentView before = engine.environment("shop", "production");
    assertEquals(Slot.GREEN, before.liveSlot());
    assertEquals(SHA_1, before.warm().image().sha());
    int deploys = engine.stages.calls("deploy").size();

    engine.rollback("shop", "production", SHA_1, "erin", "rb-warm");
    Operation done = engine.awaitOperation("shop", "production", "rb-warm");

    assertEquals("switched back to the warm blue slot", done.reason());
    assertEquals(deploys, engine.stages.calls("deploy").size(), "no pull, no start");
    EnvironmentView after = engine.environment("shop", "production");
    assertEquals(SHA_1, after.liveSha());
    assertEquals(Slot.BLUE, after.liveSlot());
    assertEquals(SHA_2, after.warm().image().sha(), "the version rolled back from stays warm");
    assertEquals("erin", after.deployments().get(0).requestedBy());
  }

  @Test
  void warmSlotIsRetiredWhenTheRollbackWindowEnds() {
    release(SHA_1);
    release(SHA_2);
    assertEquals(0, engine.stages.calls("retire").size());
    engine.env.sleep(Duration.ofMinutes(31));
    awaitCalls("retire", 2); // staging and production

    EnvironmentView production = engine.environment("shop", "production");
    assertNull(production.warm());
    Call retired =
        engine.stages.calls("retire").stream()
            .filter(c -> c.environment().equals("production"))
            .findFirst()
            .orElseThrow();
    assertEquals(SHA_1, retired.sha());
    assertEquals("blue", retired.outcome());
  }

  @Test
  void rollbackAfterTheWindowRedeploysTheOldDigestThroughBlueGreen() {
    release(SHA_1);
    release(SHA_2);
    release(SHA_3); // retires SHA_1's warm slot first
    engine.rollback("shop", "production", SHA_1, "erin", "rb-cold");
    Operation done = engine.awaitOperation("shop", "production", "rb-cold");

    assertTrue(
        done.reason().startsWith("redeployed 127.0.0.1:5000/shop@sha256:11111111"), done.reason());
    Call redeploy = engine.stages.calls("deploy").get(engine.stages.calls("deploy").size() - 1);
    assertEquals(SHA_1, redeploy.sha());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
  }

  @Test
  void rollbackToADigestDeletedFromTheRegistryFailsAndChangesNothing() {
    release(SHA_1);
    release(SHA_2);
    release(SHA_3);
    engine.stages.imagesExist = false;
    engine.rollback("shop", "production", SHA_1, "erin", "rb-gone");
    Operation done = engine.awaitOperation("shop", "production", "rb-gone");

    assertEquals(
        Operation.State.FAILED, done.state(), engine.environment("shop", "production").toString());
    assertTrue(done.reason().endsWith("is no longer in the registry"), done.reason());
    assertEquals(SHA_3, engine.environment("shop", "production").liveSha());
  }

  @Test
  void aRepeatedRequestIdIsHandledOnce() {
    release(SHA_1);
    release(SHA_2);
    engine.rollback("shop", "production", SHA_1, "erin", "rb-twice");
    engine.awaitOperation("shop", "production", "rb-twice");
    engine.rollback("shop", "production", SHA_1, "erin", "rb-twice");
    engine.rollback("shop", "production", SHA_2, "erin", "rb-after");
    engine.awaitOperation("shop", "production", "rb-after");
    long count =
        engine.environment("shop", "production").operations().stream()
            .filter(o -> o.id().equals("rb-twice"))
            .count();
    assertEquals(1, count);
    assertEquals(SHA_2, engine.environment("shop", "production").liveSha());
  }

  @Test
  void aCancelForAnOrderNotSeenYetStopsItFromDeploying() {
    EnvironmentWorkflow staging = EnvironmentRequests.stub(engine.client, "shop", "staging");
    io.temporal.client.BatchRequest cancelFirst = engine.client.newSignalWithStartRequest();
    cancelFirst.add(staging::run, EnvironmentState.empty("shop", "staging"));
    cancelFirst.add(staging::cancelOrder, "order-1");
    engine.client.signalWithStart(cancelFirst);
    new EnvironmentRequests(engine.client)
        .submitDeploy(
            new DeployOrder(
                "order-1",
                null,
                "shop",
                "staging",
                Specs.environment(18080),
                new org.releaseengine.model.ImageRef(
                    "127.0.0.1:5000/shop", SHA_1, org.releaseengine.StandInStages.digestOf(SHA_1)),
                "dave"));
    Operation op = engine.awaitOperation("shop", "staging", "order-1");

    assertEquals(Operation.State.CANCELLED, op.state(), op.toString());
    assertTrue(engine.stages.calls("deploy").isEmpty(), "nothing deployed");
    assertNull(engine.environment("shop", "staging").liveSha());
  }

  private void awaitCalls(String what, int count) {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (engine.stages.calls(what).size() < count && System.nanoTime() < deadline) {
      EngineTestEnvironment.sleep(20);
    }
    assertEquals(count, engine.stages.calls(what).size(), engine.stages.calls.toString());
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
