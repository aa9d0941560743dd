package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.TestSigners;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.signing.DecisionPayload;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;

/**
 * What the environment relies on its record for outlives any flood of refused requests (which
 * anyone who can reach Temporal can send): a signed rollback's request id stays used, so the same
 * signed rollback is never carried out twice, even once its operation is no longer kept; and the
 * live deploy stays recorded, so its release can still roll it back.
 */
class RefusalFloodTest {

  /** Operations kept: low, so that a flood is quick to send. */
  private static final int KEPT = 10;

  @TempDir Path keys;

  private final EngineTestEnvironment engine =
      EngineTestEnvironment.withLimits(RecordLimits.DEFAULT.withOperations(KEPT));
  private final String productionId = EngineNames.environmentId("shop", "production");
  private final EnvironmentWorkflow production =
      engine.client.newWorkflowStub(EnvironmentWorkflow.class, productionId);
  private TestSigners people;

  @BeforeEach
  void signers() {
    people = TestSigners.create(keys, List.of("erin"));
    engine.policy.allowedSigners = people.allowedSigners();
    engine.policy.rollbackers = List.of("erin");
  }

  @AfterEach
  void close() {
    engine.close();
  }

  private void release(String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());
  }

  private SignedDecision signedRollbackTo(String sha) {
    return people.sign("erin", DecisionSubject.rollback("shop", "production", sha), null);
  }

  /** A rollback of production whose signature is not one: refused by its verification. */
  private Operation refusedUpdate(int i) {
    SignedDecision forged =
        new SignedDecision(
            new DecisionPayload(
                DecisionSubject.Kind.ROLLBACK,
                productionId,
                null,
                SHA_1,
                null,
                null,
                Instant.now().truncatedTo(ChronoUnit.SECONDS),
                "forged-" + i),
            "-----BEGIN SSH SIGNATURE-----",
            null);
    Operation refused = production.requestRollback(forged);
    assertEquals(Operation.State.REFUSED, refused.state(), refused.toString());
    return refused;
  }

  @Test
  void aSignedRollbackSentAgainAndAgainIsNeverCarriedOutTwice() {
    release(SHA_1);
    release(SHA_2);
    SignedDecision toFirst = signedRollbackTo(SHA_1);
    Operation done = production.requestRollback(toFirst);
    assertEquals(Operation.State.SUCCEEDED, done.state(), done.toString());
    Operation back = production.requestRollback(signedRollbackTo(SHA_2));
    assertEquals(Operation.State.SUCCEEDED, back.state(), back.toString());

    // whoever saw the signed rollback sends it again, each refusal another operation
    for (int i = 0; i < 3 * KEPT; i++) {
      Operation again = production.requestRollback(toFirst);
      assertEquals(Operation.State.REFUSED, again.state(), "sent again #" + i + ": " + again);
      assertTrue(again.reason().contains("was already used"), again.reason());
      assertEquals(SHA_2, engine.environment("shop", "production").liveSha());
    }
    assertEquals(KEPT, engine.environment("shop", "production").operations().size());
  }

  @Test
  void aSignedRollbackPushedOutByNewerOperationsIsStillRefusedWhenSentAgain() {
    release(SHA_1);
    release(SHA_2);
    SignedDecision toFirst = signedRollbackTo(SHA_1);
    assertEquals(Operation.State.SUCCEEDED, production.requestRollback(toFirst).state());
    // more operations than are kept, real ones: rollbacks by hand, back and forth
    for (int i = 0; i < KEPT + 3; i++) {
      String id = "by-hand-" + i;
      engine.rollback("shop", "production", i % 2 == 0 ? SHA_2 : SHA_1, "erin", id);
      assertEquals(
          Operation.State.SUCCEEDED, engine.awaitOperation("shop", "production", id).state());
    }
    EnvironmentView before = engine.environment("shop", "production");
    assertEquals(SHA_2, before.liveSha());
    assertEquals(null, before.operation(toFirst.payload().requestId()), "no longer kept");

    Operation again = production.requestRollback(toFirst);
    assertEquals(Operation.State.REFUSED, again.state(), again.toString());
    assertTrue(again.reason().contains("was already used"), again.reason());
    assertEquals(SHA_2, engine.environment("shop", "production").liveSha());
  }

  @Test
  void aFloodOfRefusalsLeavesTheLiveDeploySoItsReleaseCanStillRollItBack() {
    release(SHA_1);
    release(SHA_2);
    String order =
        engine.environment("shop", "production").operations().stream()
            .filter(o -> o.kind() == Operation.Kind.DEPLOY && SHA_2.equals(o.sha()))
            .findFirst()
            .orElseThrow()
            .id();
    for (int i = 0; i < 3 * KEPT; i++) {
      refusedUpdate(i);
    }
    EnvironmentView flooded = engine.environment("shop", "production");
    assertEquals(KEPT, flooded.operations().size());
    assertEquals(
        Operation.State.SUCCEEDED,
        flooded.operation(order) == null ? null : flooded.operation(order).state(),
        "the live deploy is kept: " + flooded.operations());

    // what the release of SHA_2 sends when its production verification fails
    String id = order.substring(0, order.lastIndexOf('/')) + "/rollback";
    new EnvironmentRequests(engine.client)
        .submitRollback(
            "shop",
            "production",
            new RollbackRequest(
                SHA_1,
                "release-engine (verification failed)",
                id,
                EngineNames.releaseId("shop", SHA_2)));
    Operation rollback = engine.awaitOperation("shop", "production", id);

    assertEquals(Operation.State.SUCCEEDED, rollback.state(), rollback.toString());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
  }
}
