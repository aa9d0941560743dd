package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;
import static org.releaseengine.Specs.SHA_3;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.StandInStages.Call;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Slot;
import org.releaseengine.release.ReleaseWorkflow;

/** The environment plans deploys on what the hosts serve and puts them back when a deploy fails. */
class HostGroundTruthTest {

  private final EngineTestEnvironment engine = new EngineTestEnvironment();

  @AfterEach
  void close() {
    engine.close();
  }

  private ReleaseStatus release(String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    return engine.result(release);
  }

  private String productionHost() {
    EnvironmentView production = engine.environment("shop", "production");
    return Specs.spec("shop").environment("production").hosts().get(0).name();
  }

  private Slot served(String host) {
    return engine.stages.served.get(StandInStages.hostKey("shop", "production", host));
  }

  /**
   * Releases SHA_2 with {@code failure} scripted: it fails, {@code host} is back on {@code slot}
   * and production still records SHA_1 live.
   */
  private EnvironmentView failedSecondRelease(String failure, String host, Slot slot) {
    engine.stages.failing.add(failure);
    ReleaseStatus failed = release(SHA_2);

    assertEquals(ReleaseState.FAILED, failed.state(), failed.toString());
    assertEquals(slot, served(host), "the host is back on the slot it served");
    EnvironmentView production = engine.environment("shop", "production");
    assertEquals(SHA_1, production.liveSha());
    return production;
  }

  @Test
  void aDeployThatFailedAfterItsSwitchPutsEveryHostBack() {
    assertEquals(ReleaseState.SUCCEEDED, release(SHA_1).state());
    String host = productionHost();
    assertEquals(Slot.BLUE, served(host));

    EnvironmentView production =
        failedSecondRelease("deploy-after-switch:production", host, Slot.BLUE);
    assertEquals("blue", production.hosts().get(host));
    Operation last = production.operations().get(production.operations().size() - 1);
    assertTrue(last.reason().contains("every host is back where it was"), last.reason());
  }

  /**
   * A host left on the other slot (a switch back that failed, or a hand outside the engine): a
   * deploy that fails puts it back there, and the record no longer says it serves the live sha.
   */
  @Test
  void aHostPutBackOnASlotTheRecordDoesNotHoldLiveIsReportedUnknown() {
    assertEquals(ReleaseState.SUCCEEDED, release(SHA_1).state());
    String host = productionHost();
    engine.stages.served.put(StandInStages.hostKey("shop", "production", host), Slot.GREEN);

    EnvironmentView production = failedSecondRelease("deploy:production", host, Slot.GREEN);
    assertTrue(
        production.hosts().get(host).startsWith("unknown (serves green, not the blue slot"),
        "the record does not say the host serves " + SHA_1 + ": " + production.hosts());
  }

  @Test
  void aHostThatDisagreesWithTheRecordIsActedOnAndReported() {
    assertEquals(ReleaseState.SUCCEEDED, release(SHA_1).state());
    String host = productionHost();
    // something outside the engine moved production to green
    engine.stages.served.put(StandInStages.hostKey("shop", "production", host), Slot.GREEN);

    ReleaseStatus second = release(SHA_2);
    assertEquals(ReleaseState.SUCCEEDED, second.state());
    assertTrue(
        second.toString().contains("serves green but the record says blue"),
        "the release's status says so too: " + second);

    List<Call> deploys =
        engine.stages.calls("deploy").stream()
            .filter(c -> c.environment().equals("production"))
            .toList();
    assertEquals("blue", deploys.get(deploys.size() - 1).outcome(), "never the serving slot");
    EnvironmentView production = engine.environment("shop", "production");
    assertEquals(SHA_2, production.liveSha());
    assertEquals(Slot.BLUE, production.liveSlot());
    assertEquals("blue", production.hosts().get(host));
    Operation last = production.operations().get(production.operations().size() - 1);
    assertTrue(
        String.join(" ", last.notes()).contains("serves green but the record says blue"),
        String.valueOf(last.notes()));
    assertEquals(ReleaseState.SUCCEEDED, release(SHA_3).state(), "and the next one too");
  }
}
