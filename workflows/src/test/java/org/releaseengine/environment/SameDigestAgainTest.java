package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.temporal.client.WorkflowExecutionAlreadyStarted;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * Releasing the live sha again after its secret changed is a new deploy of the same digest, and the
 * environment says which secret changed, by keyed fingerprints only.
 */
class SameDigestAgainTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  /** Starts the release of SHA_1 once its previous run has closed (it ends after its status). */
  private void release() {
    ReleaseWorkflow release = null;
    for (int i = 0; release == null; i++) {
      try {
        release = engine.start(Specs.request(Specs.spec("shop"), Specs.SHA_1, "dave"));
      } catch (WorkflowExecutionAlreadyStarted stillClosing) {
        if (i > 500) {
          throw stillClosing;
        }
        EngineTestEnvironment.sleep(20);
      }
    }
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());
  }

  @Test
  void theSameShaAgainIsANewDeployThatNamesTheChangedSecret() {
    engine.stages.configs.put(
        "production", new ConfigPrint("aaaaaaaaaaaaaaaa", Map.of("API_KEY", "1111111111111111")));
    release();
    engine.stages.configs.put(
        "production", new ConfigPrint("bbbbbbbbbbbbbbbb", Map.of("API_KEY", "2222222222222222")));
    release();
    engine.stages.configs.put(
        "production", new ConfigPrint("bbbbbbbbbbbbbbbb", Map.of("API_KEY", "2222222222222222")));
    release();

    EnvironmentView production = engine.environment("shop", "production");
    List<Operation> deploys =
        production.operations().stream().filter(o -> o.kind() == Operation.Kind.DEPLOY).toList();
    assertEquals(3, deploys.size());
    deploys.forEach(op -> assertEquals(Specs.SHA_1, op.sha()));
    assertEquals(null, deploys.get(0).notes());
    assertEquals(
        List.of("the live digest again, with changed secrets: API_KEY"), deploys.get(1).notes());
    assertEquals(
        List.of("the live digest again, with the same configuration"), deploys.get(2).notes());
    assertEquals("bbbbbbbbbbbbbbbb", production.deployments().get(0).config());
    // each deploy went to the other slot: the same digest started afresh, not left as it was
    assertNotEquals(null, production.warm());
    assertEquals(Specs.SHA_1, production.warm().image().sha());
  }
}
