package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.Specs.SHA_1;
import static org.releaseengine.Specs.SHA_2;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Slot;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * An environment whose workflow was terminated starts again empty at the next signal-with-start: it
 * rebuilds its record from its audit archive and what the hosts serve, and says so. Before, the new
 * run knew no sha (a rollback to the previous one was refused as never run) and had no live release
 * to hold an older one back.
 */
class RestartedEnvironmentTest {

  private static final String PRODUCTION = "production";
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

  private void terminateProduction() {
    engine
        .client
        .newUntypedWorkflowStub(EngineNames.environmentId("shop", PRODUCTION))
        .terminate("a reset gone wrong");
  }

  @Test
  void aRollbackAfterTheRestartPutsBackTheShaThatRanBefore() {
    release(SHA_1);
    release(SHA_2);
    terminateProduction();

    engine.rollback("shop", PRODUCTION, SHA_1.substring(0, 7), "erin", "rb-after-restart");
    Operation rollback = engine.awaitOperation("shop", PRODUCTION, "rb-after-restart");

    assertEquals(Operation.State.SUCCEEDED, rollback.state(), rollback.toString());
    assertTrue(rollback.reason().startsWith("redeployed "), rollback.reason());
    EnvironmentView view = engine.environment("shop", PRODUCTION);
    assertEquals(SHA_1, view.liveSha(), view.toString());

    // the record says what it was rebuilt from: the archive's two deploys, the hosts' slot
    Operation rebuilt = rebuild(view);
    assertEquals(Operation.State.SUCCEEDED, rebuilt.state(), rebuilt.toString());
    assertEquals(
        "rebuilt after a restart from the newest 2 of 2 archived entries: 2 sha(s) that went"
            + " live; 222222222222 live in the green slot",
        rebuilt.reason());
    assertEquals(List.of("hosts: host-19080 serves green"), rebuilt.notes());
    assertEquals(
        List.of(SHA_1, SHA_2),
        view.operations().stream()
            .filter(o -> o.kind() == Operation.Kind.DEPLOY)
            .map(Operation::sha)
            .toList(),
        "the archived operations are the record's again");
    assertEquals(Map.of("host-19080", "green"), view.hosts());
  }

  private static Operation rebuild(EnvironmentView view) {
    List<Operation> rebuilds =
        view.operations().stream().filter(o -> o.kind() == Operation.Kind.REBUILD).toList();
    assertEquals(1, rebuilds.size(), view.operations().toString());
    return rebuilds.get(0);
  }

  @Test
  void anOlderReleaseIsStillRefusedAfterTheRestart() {
    ReleaseWorkflow older = engine.start(Specs.request(Specs.spec("shop"), SHA_1, "dave"));
    engine.awaitStatus(older, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release(SHA_2);
    terminateProduction();

    older.approve(new Approval("bob", null));
    ReleaseStatus refused = engine.result(older);

    assertEquals(ReleaseState.FAILED, refused.state(), refused.reason());
    assertTrue(refused.reason().contains("was admitted before"), refused.reason());
    assertEquals(SHA_2, engine.environment("shop", PRODUCTION).liveSha());
  }

  @Test
  void aSecondReleaseAfterTheRestartKeepsTheWarmSlotOfTheFirst() {
    release(SHA_1);
    terminateProduction();
    release(SHA_2);

    EnvironmentView view = engine.environment("shop", PRODUCTION);
    assertEquals(SHA_2, view.liveSha());
    assertEquals(Slot.GREEN, view.liveSlot());
    assertEquals(SHA_1, view.warm().image().sha(), "the restart kept what was live as warm");
    assertTrue(rebuild(view).reason().contains("1111111 live in the blue slot"), view.toString());
  }

  @Test
  void anEnvironmentThatNeverRanGetsNoRebuild() {
    release(SHA_1);
    EnvironmentView view = engine.environment("shop", PRODUCTION);
    assertEquals(1, view.operations().size(), view.operations().toString());
    assertEquals(Operation.Kind.DEPLOY, view.operations().get(0).kind());
  }

  @Test
  void anArchiveThatCannotBeReadIsNotedAndTheRecordStartsEmpty() {
    release(SHA_1);
    terminateProduction();
    engine.stages.failing.add("archive-read");

    engine.rollback("shop", PRODUCTION, SHA_1.substring(0, 7), "erin", "rb-unknown");
    Operation refused = engine.awaitOperation("shop", PRODUCTION, "rb-unknown");

    assertEquals(Operation.State.REFUSED, refused.state());
    assertEquals("production of shop never ran 1111111", refused.reason());
    Operation rebuilt = rebuild(engine.environment("shop", PRODUCTION));
    assertEquals(Operation.State.FAILED, rebuilt.state());
    assertEquals(
        "could not rebuild the record after a restart: the audit archive could not be read"
            + " (cannot read /var/audit/shop/production.jsonl: permission denied); it starts empty",
        rebuilt.reason());
  }

  @Test
  void hostsThatCannotBeReadLeaveTheArchivesSlot() {
    release(SHA_1);
    release(SHA_2);
    terminateProduction();
    engine.stages.failing.add("inspect:production");

    engine.rollback("shop", PRODUCTION, SHA_1.substring(0, 7), "erin", "rb-blind");
    Operation rollback = engine.awaitOperation("shop", PRODUCTION, "rb-blind");

    assertEquals(Operation.State.SUCCEEDED, rollback.state(), rollback.toString());
    EnvironmentView view = engine.environment("shop", PRODUCTION);
    assertEquals(SHA_1, view.liveSha());
    Operation rebuilt = rebuild(view);
    assertTrue(rebuilt.reason().endsWith("2222222 live in the green slot"), rebuilt.reason());
    assertEquals(
        List.of(
            "the hosts could not be read (ssh to host-19080 failed: connection refused): the live"
                + " slot is the archive's"),
        rebuilt.notes());
  }

  @Test
  void hostsOffTheArchivesSlotAreNotedAndARollbackSwitchesThemBack() {
    release(SHA_1);
    release(SHA_2);
    terminateProduction();
    String host = StandInStages.hostKey("shop", PRODUCTION, "host-19080");
    engine.stages.served.put(host, Slot.BLUE); // a deploy cut short, or a switch by hand

    engine.rollback("shop", PRODUCTION, SHA_2.substring(0, 7), "erin", "rb-same");
    Operation back = engine.awaitOperation("shop", PRODUCTION, "rb-same");

    assertEquals("already live in the green slot", back.reason());
    assertEquals(Slot.GREEN, engine.stages.served.get(host));
    Operation rebuilt = rebuild(engine.environment("shop", PRODUCTION));
    assertTrue(rebuilt.reason().endsWith("222222222222 live in the green slot"), rebuilt.reason());
    assertEquals(
        List.of(
            "hosts: host-19080 serves blue",
            "host-19080 not on the green slot the archive left 222222222222 live in (a deploy or"
                + " rollback cut short by the restart, or a change by hand): a rollback to it"
                + " switches back, the next deploy plans from what each serves"),
        rebuilt.notes());
  }

  @Test
  void hostsThatServeNothingLeaveNothingLive() {
    release(SHA_1);
    release(SHA_2);
    terminateProduction();
    engine.stages.served.remove(StandInStages.hostKey("shop", PRODUCTION, "host-19080"));

    engine.rollback("shop", PRODUCTION, SHA_1.substring(0, 7), "erin", "rb-redeploy");
    Operation redeploy = engine.awaitOperation("shop", PRODUCTION, "rb-redeploy");

    assertEquals(Operation.State.SUCCEEDED, redeploy.state(), redeploy.toString());
    assertTrue(redeploy.reason().startsWith("redeployed "), redeploy.reason());
    EnvironmentView view = engine.environment("shop", PRODUCTION);
    assertEquals(SHA_1, view.liveSha());
    Operation nothing = rebuild(view);
    assertTrue(
        nothing.reason().endsWith("2 sha(s) that went live; none is live"), nothing.reason());
    assertEquals(
        List.of("hosts: host-19080 serves nothing", "no host serves the service: nothing is live"),
        nothing.notes());
  }
}
