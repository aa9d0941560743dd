package org.releaseengine.release;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;

/**
 * An older release never overwrites a newer one: approved after the newer release went live, its
 * production deploy is refused with a note and production stays on the newer sha. Before, the late
 * approval put production back on the older release.
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
}
