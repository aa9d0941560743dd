package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;

/**
 * An older release never overwrites a newer one: approved after the newer release went live, its
 * production deploy is refused with a note and production stays on the newer sha. Before, the late
 * approval put production back on the older release. Where the operator's policy allows older
 * releases in an environment (allowOlderReleases), the deploy there goes ahead and its operation
 * says so; every other environment still refuses it.
 */
class OlderReleaseTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  @Test
  void aLateApprovalOfAnOlderReleaseDoesNotTakeProductionBack() {
    ReleaseWorkflow older = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(older, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    ReleaseWorkflow newer = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    engine.awaitStatus(newer, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    newer.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(newer).state());

    older.approve(new Approval("bob", null));
    ReleaseStatus refused = engine.result(older);

    assertEquals(ReleaseState.FAILED, refused.state(), refused.reason());
    assertTrue(refused.reason().contains("was admitted before"), refused.reason());
    assertEquals(SHA_2, engine.environment("shop", "production").liveSha());
  }

  @Test
  void whereThePolicyAllowsOlderReleasesTheLateApprovalDeploysWithANote() {
    engine.policy.olderReleasesAllowed = List.of("production");
    ReleaseWorkflow older = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(older, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    ReleaseWorkflow newer = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    engine.awaitStatus(newer, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    newer.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(newer).state());

    older.approve(new Approval("bob", null));
    ReleaseStatus deployed = engine.result(older);

    assertEquals(ReleaseState.SUCCEEDED, deployed.state(), deployed.reason());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
    Operation op = lastOperation("production");
    assertEquals(Operation.State.SUCCEEDED, op.state());
    assertEquals(SHA_1, op.sha());
    assertNotNull(op.notes(), "the operation says an older release went live");
    assertTrue(
        op.notes().stream()
            .anyMatch(
                n ->
                    n.startsWith("an older release, let through as the policy allows")
                        && n.contains("allowOlderReleases in production")
                        && n.contains(SHA_2)),
        op.notes().toString());
    String stage = deployed.stage(org.releaseengine.model.Stage.DEPLOY_PRODUCTION).summary();
    assertTrue(stage.contains("let through as the policy allows"), stage);
  }

  @Test
  void anAllowanceForStagingDoesNotReachProduction() {
    engine.policy.olderReleasesAllowed = List.of("staging");
    ReleaseWorkflow older = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(older, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    ReleaseWorkflow newer = engine.start(Specs.request(Specs.spec("shop"), SHA_2, "dave"));
    engine.awaitStatus(newer, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    newer.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(newer).state());

    older.approve(new Approval("bob", null));
    ReleaseStatus refused = engine.result(older);

    assertEquals(ReleaseState.FAILED, refused.state(), refused.reason());
    assertTrue(refused.reason().contains("was admitted before"), refused.reason());
    assertEquals(SHA_2, engine.environment("shop", "production").liveSha());
    assertNull(lastOperation("production").notes());
  }

  /**
   * One release, two environments that answer differently: production-eu allows older releases and
   * takes the late approval; production-us does not and refuses it.
   */
  @Test
  void eachEnvironmentAnswersForItself() {
    engine.policy.olderReleasesAllowed = List.of("production-eu");
    ReleaseSpec spec = Specs.listed("shop");
    ReleaseWorkflow older = engine.start(Specs.request(spec, SHA_1, "dave"));
    engine.awaitStatus(older, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    ReleaseWorkflow newer = engine.start(Specs.request(spec, SHA_2, "dave"));
    engine.awaitStatus(newer, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    newer.approve(new Approval("bob", "eu"));
    engine.awaitStatus(
        newer,
        s ->
            s.state() == ReleaseState.AWAITING_APPROVAL
                && "approval production-us".equals(s.currentStageLabel()));
    newer.approve(new Approval("alice", "us"));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(newer).state());

    older.approve(new Approval("bob", "eu"));
    engine.awaitStatus(
        older,
        s ->
            s.state() == ReleaseState.AWAITING_APPROVAL
                && "approval production-us".equals(s.currentStageLabel()));
    assertEquals(SHA_1, engine.environment("shop", "production-eu").liveSha());
    older.approve(new Approval("alice", "us"));
    ReleaseStatus refused = engine.result(older);

    assertEquals(ReleaseState.FAILED, refused.state(), refused.reason());
    assertTrue(refused.reason().contains("was admitted before"), refused.reason());
    assertEquals(SHA_2, engine.environment("shop", "production-us").liveSha());
    assertEquals(SHA_1, engine.environment("shop", "production-eu").liveSha());
    assertEquals(Operation.State.REFUSED, lastOperation("production-us").state());
  }

  private Operation lastOperation(String environment) {
    List<Operation> ops = engine.environment("shop", environment).operations();
    return ops.get(ops.size() - 1);
  }
}
