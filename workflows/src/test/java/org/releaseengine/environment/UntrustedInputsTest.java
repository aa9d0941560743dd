package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import io.temporal.api.enums.v1.EventType;
import io.temporal.client.WorkflowUpdateException;
import java.time.Instant;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.signing.DecisionPayload;
import org.releaseengine.signing.SignedDecision;

/**
 * Inputs that used to fail a workflow task: a rollback signal without a request id (or none at
 * all), a promote without a body, a signed rollback or decision without its request id or kind, and
 * hosts that cannot be read when a deploy plans. Each is turned away or fails its own operation; no
 * workflow task fails and nothing else changes.
 */
class UntrustedInputsTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

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

  private void noTaskFailed(String workflowId) {
    assertFalse(
        engine.client.fetchHistory(workflowId).getEvents().stream()
            .anyMatch(e -> e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_TASK_FAILED),
        workflowId + " failed a workflow task");
  }

  @Test
  void malformedRequestsToAnEnvironmentAreTurnedAway() {
    release(SHA_1);
    String id = EngineNames.environmentId("shop", "production");
    EnvironmentWorkflow production = engine.client.newWorkflowStub(EnvironmentWorkflow.class, id);
    int operations = engine.environment("shop", "production").operations().size();
    production.rollback(null);
    production.rollback(new RollbackRequest(SHA_1, "mallory", null, null));
    production.promote(null);
    SignedDecision noRequestId =
        new SignedDecision(
            new DecisionPayload(
                org.releaseengine.signing.DecisionSubject.Kind.ROLLBACK,
                id,
                null,
                SHA_1,
                null,
                null,
                Instant.now(),
                null),
            "-----BEGIN SSH SIGNATURE-----",
            null);
    assertThrows(WorkflowUpdateException.class, () -> production.requestRollback(noRequestId));

    EnvironmentView after = engine.environment("shop", "production");
    assertEquals(operations, after.operations().size(), after.operations().toString());
    assertEquals(SHA_1, after.liveSha());
    noTaskFailed(id);
  }

  @Test
  void aDecisionWithoutItsKindIsTurnedAwayByTheValidator() {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    SignedDecision noKind =
        new SignedDecision(
            new DecisionPayload(
                null,
                EngineNames.releaseId("shop", SHA_1),
                null,
                null,
                null,
                null,
                Instant.now(),
                "r-1"),
            "-----BEGIN SSH SIGNATURE-----",
            null);
    assertThrows(WorkflowUpdateException.class, () -> release.decide(noKind));
    assertEquals(ReleaseState.AWAITING_APPROVAL, release.status().state());
    noTaskFailed(EngineNames.releaseId("shop", SHA_1));
  }

  @Test
  void hostsThatCannotBeReadFailTheDeployAndTheEnvironmentGoesOn() {
    release(SHA_1);
    engine.stages.failing.add("inspect:production");
    ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    engine.awaitStatus(second, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    second.approve(new Approval("bob", null));
    ReleaseStatus failed = engine.result(second);

    assertEquals(ReleaseState.FAILED, failed.state(), failed.reason());
    assertTrue(failed.reason().contains("could not read what the hosts serve"), failed.reason());
    engine.stages.failing.remove("inspect:production");
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
    release(SHA_2);
    assertEquals(SHA_2, engine.environment("shop", "production").liveSha());
  }
}
