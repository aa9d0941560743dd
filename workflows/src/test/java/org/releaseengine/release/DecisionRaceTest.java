package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;

import io.temporal.client.WorkflowUpdateException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.TestSigners;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;

/**
 * Decisions that arrive together: the same signed decision sent twice at once counts once (its
 * request id is taken before it is verified), and a Slack click that is not whole is turned away by
 * the update's validator, never failing the release's workflow task.
 */
class DecisionRaceTest {

  @TempDir Path keys;
  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void theSameSignedDecisionSentTwiceAtOnceCountsOnce() throws Exception {
    TestSigners people = TestSigners.create(keys, List.of("bob", "carol"));
    engine.policy.allowedSigners = people.allowedSigners();
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    engine.policy.verifyTime = Duration.ofSeconds(2);
    SignedDecision promote =
        people.sign(
            "bob",
            DecisionSubject.approve("release/shop/" + SHA_1, StandInStages.digestOf(SHA_1)),
            "twice");
    CompletableFuture<DecisionOutcome> first =
        CompletableFuture.supplyAsync(() -> release.decide(promote));
    CompletableFuture<DecisionOutcome> second =
        CompletableFuture.supplyAsync(() -> release.decide(promote));
    List<DecisionOutcome> outcomes = List.of(first.get(), second.get());

    assertEquals(
        1, outcomes.stream().filter(DecisionOutcome::accepted).count(), outcomes.toString());
    assertTrue(
        outcomes.stream().anyMatch(o -> o.message().contains("was already used")),
        outcomes.toString());
    ReleaseStatus status = engine.result(release);
    assertEquals(ReleaseState.SUCCEEDED, status.state());
    assertEquals(1, status.decisions().size(), status.decisions().toString());
  }

  @Test
  void aSlackClickThatIsNotWholeIsTurnedAway() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    assertThrows(WorkflowUpdateException.class, () -> release.decideFromSlack(null));
    assertThrows(
        WorkflowUpdateException.class,
        () ->
            release.decideFromSlack(
                new org.releaseengine.model.SlackClick(
                    null, "release/shop/" + SHA_1, null, "U1", null, null)));
    assertEquals(ReleaseState.AWAITING_APPROVAL, release.status().state());
  }
}
