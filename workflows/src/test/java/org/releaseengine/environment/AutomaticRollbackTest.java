package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;
import static org.releaseengine.Specs.SHA_3;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * A release's automatic rollback undoes exactly the deploy it verified: when something else went
 * live since (a newer release after its lease ran out, a person's rollback), it is refused and
 * noted, and production stays where it is. Before, it put its own previous sha back over the newer
 * release.
 */
class AutomaticRollbackTest {

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

  /**
   * Sends what the release of SHA_2 sends when its production verification fails: a rollback to
   * SHA_1 beside its deploy order's id, answering that release. Returns the rollback's id.
   */
  private String secondReleasesAutomaticRollback() {
    String order =
        engine.environment("shop", "production").operations().stream()
            .filter(o -> o.kind() == Operation.Kind.DEPLOY && SHA_2.equals(o.sha()))
            .findFirst()
            .orElseThrow()
            .id();
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
    return id;
  }

  @Test
  void anAutomaticRollbackOfADeployNoLongerLiveIsRefused() {
    release(SHA_1);
    release(SHA_2);
    release(SHA_3);
    // what the second release sends when its verification fails, late
    String id = secondReleasesAutomaticRollback();
    Operation rollback = engine.awaitOperation("shop", "production", id);

    assertEquals(Operation.State.REFUSED, rollback.state(), rollback.toString());
    assertTrue(rollback.reason().contains(SHA_3), rollback.reason());
    assertEquals(SHA_3, engine.environment("shop", "production").liveSha());
  }

  @Test
  void aLateAutomaticRollbackDoesNotCancelANewerDeployUnderWay() throws InterruptedException {
    release(SHA_1);
    release(SHA_2);
    engine.stages.deployTime = java.time.Duration.ofSeconds(3);
    engine.stages.deployStarted = new java.util.concurrent.CountDownLatch(2); // staging, production
    ReleaseWorkflow third = engine.start(Specs.request(Specs.spec("shop"), SHA_3, "dave"));
    engine.awaitStatus(third, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    third.approve(new Approval("bob", null));
    engine.stages.deployStarted.await(30, java.util.concurrent.TimeUnit.SECONDS);
    String id = secondReleasesAutomaticRollback();

    assertEquals(ReleaseState.SUCCEEDED, engine.result(third).state());
    Operation rollback = engine.awaitOperation("shop", "production", id);
    assertEquals(Operation.State.REFUSED, rollback.state(), rollback.toString());
    assertEquals(SHA_3, engine.environment("shop", "production").liveSha());
  }

  @Test
  void anAutomaticRollbackOfTheLiveDeployGoesThrough() {
    release(SHA_1);
    release(SHA_2);
    String id = secondReleasesAutomaticRollback();
    Operation rollback = engine.awaitOperation("shop", "production", id);

    assertEquals(Operation.State.SUCCEEDED, rollback.state(), rollback.toString());
    assertEquals(SHA_1, engine.environment("shop", "production").liveSha());
  }
}
