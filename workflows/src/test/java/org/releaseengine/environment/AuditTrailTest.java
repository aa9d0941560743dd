package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.model.Approval;
import org.releaseengine.model.Decision;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.Slot;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageStatus;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * Each environment keeps an audit entry per deploy and rollback: digest, requester, the release's
 * approvers with their comments and its stage summaries, and how it ended; the entries survive
 * continue-as-new, and each is archived on the worker as it ends (none is dropped from the bounded
 * record before it is while the archive works). While the archive fails a bounded backlog waits;
 * past it the oldest are dropped, and counted.
 */
class AuditTrailTest {

  private static final String PRODUCTION = "production";
  private EngineTestEnvironment engine;

  @AfterEach
  void close() {
    engine.close();
  }

  private void release(String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", "ship it"));
    assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());
  }

  private static AuditEntry entry(EnvironmentView view, String id) {
    return view.audit().stream().filter(e -> e.id().equals(id)).findFirst().orElse(null);
  }

  @Test
  void aReleasesDeployIsAuditedWithItsApproversAndGatesAcrossContinueAsNew() {
    // environments continue as new once idle past 60 events of history
    engine = EngineTestEnvironment.withLimits(RecordLimits.DEFAULT.withHistoryEvents(60));
    release(Specs.SHA_1);
    EnvironmentView before = engine.environment("shop", PRODUCTION);
    AuditEntry deploy = before.audit().get(0);
    String deployId = deploy.id();

    assertEquals(Operation.Kind.DEPLOY, deploy.kind());
    assertEquals(Specs.SHA_1, deploy.sha());
    assertEquals(StandInStages.digestOf(Specs.SHA_1), deploy.digest());
    assertEquals("dave", deploy.requester());
    assertEquals(EngineNames.releaseId("shop", Specs.SHA_1), deploy.release());
    assertEquals(Operation.State.SUCCEEDED, deploy.outcome());
    Decision approval = deploy.decisions().get(0);
    assertEquals(Decision.Kind.APPROVE, approval.kind());
    assertEquals("bob", approval.by());
    assertEquals("ship it", approval.comment());
    List<Stage> stages = deploy.stages().stream().map(StageStatus::stage).toList();
    assertTrue(stages.contains(Stage.BUILD), stages.toString());
    assertTrue(stages.contains(Stage.APPROVAL), stages.toString());
    assertFalse(stages.contains(Stage.DEPLOY_PRODUCTION), "the deploy itself was still running");

    String id = EngineNames.environmentId("shop", PRODUCTION);
    String previousRun = "";
    for (int i = 0; i < 50 && previousRun.isEmpty(); i++) {
      engine.rollback("shop", PRODUCTION, Specs.SHA_1.substring(0, 7), "erin", "rb-" + i);
      engine.awaitOperation("shop", PRODUCTION, "rb-" + i);
      previousRun =
          engine
              .client
              .fetchHistory(id)
              .getEvents()
              .get(0)
              .getWorkflowExecutionStartedEventAttributes()
              .getContinuedExecutionRunId();
    }
    assertFalse(previousRun.isEmpty(), "the environment never continued as new");
    engine.rollback("shop", PRODUCTION, Specs.SHA_1.substring(0, 7), "erin", "rb-after");
    engine.awaitOperation("shop", PRODUCTION, "rb-after");

    EnvironmentView after = engine.environment("shop", PRODUCTION);
    assertEquals(deploy, entry(after, deployId), "the entry is carried across continue-as-new");
    AuditEntry rollback = entry(after, "rb-after");
    assertEquals(Operation.Kind.ROLLBACK, rollback.kind());
    assertEquals(Specs.SHA_1, rollback.sha(), "the full sha the prefix named");
    assertEquals("erin", rollback.requester());
    assertNull(rollback.decisions());
  }

  @Test
  void everyEntryIsArchivedAsItEndsAndNoneIsDroppedBeforeItIs() {
    engine = EngineTestEnvironment.withLimits(RecordLimits.DEFAULT.withAuditEntries(3));
    release(Specs.SHA_1);
    for (int i = 0; i < 4; i++) {
      engine.rollback("shop", PRODUCTION, "0000000", "erin", "rb-" + i);
      engine.awaitOperation("shop", PRODUCTION, "rb-" + i);
    }
    // an operation shows as finished before its entry's archiving (activities) is done
    EnvironmentView view =
        engine.awaitEnvironment(
            "shop", PRODUCTION, v -> ids(v).equals(List.of("rb-1", "rb-2", "rb-3")));
    assertEquals(List.of("rb-1", "rb-2", "rb-3"), ids(view));
    List<AuditEntry> archived = archived();
    assertEquals(
        List.of("rb-0", "rb-1", "rb-2", "rb-3"),
        archived.stream().skip(1).map(AuditEntry::id).toList(),
        "each entry as it ended, the release's deploy first");
    AuditEntry deploy = archived.get(0);
    assertTrue(deploy.id().endsWith("/" + PRODUCTION), deploy.id());
    // the archive keeps what a deploy left live, which a restarted environment rebuilds from
    assertEquals(Specs.SHA_1, deploy.liveAfter().deployment().image().sha());
    assertEquals(Slot.BLUE, deploy.liveAfter().slot());
    assertEquals(
        Specs.spec("shop").environment(PRODUCTION).hosts(), deploy.liveAfter().spec().hosts());
    assertNull(archived.get(1).liveAfter(), "a refused rollback left nothing live");
    assertTrue(
        view.audit().stream().allMatch(e -> e.liveAfter() == null),
        "the record's own entries do not carry it");

    // while archiving fails, entries not archived stay in the record past its limit
    engine.stages.failing.add("archive");
    for (int i = 4; i < 8; i++) {
      engine.rollback("shop", PRODUCTION, "0000000", "erin", "rb-" + i);
      engine.awaitOperation("shop", PRODUCTION, "rb-" + i);
    }
    engine.awaitEnvironment(
        "shop", PRODUCTION, v -> ids(v).equals(List.of("rb-4", "rb-5", "rb-6", "rb-7")));
    // the next operation archives every entry that waited, and the record gives way again
    engine.stages.failing.remove("archive");
    engine.rollback("shop", PRODUCTION, "0000000", "erin", "rb-8");
    engine.awaitOperation("shop", PRODUCTION, "rb-8");
    EnvironmentView later =
        engine.awaitEnvironment(
            "shop", PRODUCTION, v -> ids(v).equals(List.of("rb-6", "rb-7", "rb-8")));
    assertEquals(List.of("rb-6", "rb-7", "rb-8"), ids(later));
    assertEquals(
        List.of("rb-4", "rb-5", "rb-6", "rb-7", "rb-8"),
        archived().stream().skip(5).map(AuditEntry::id).toList());
  }

  private List<AuditEntry> archived() {
    synchronized (engine.stages.archived) {
      return engine.stages.archived.values().stream()
          .filter(e -> e.environment().equals(PRODUCTION))
          .toList();
    }
  }

  @Test
  void whileTheArchiveFailsTheOldestEntriesPastTheBacklogAreDroppedAndCounted() {
    // three entries kept, two more may wait for the archive
    engine =
        EngineTestEnvironment.withLimits(
            RecordLimits.DEFAULT.withAuditEntries(3).withAuditBacklog(2));
    release(Specs.SHA_1);
    engine.stages.failing.add("archive");
    for (int i = 0; i < 10; i++) {
      engine.rollback("shop", PRODUCTION, "0000000", "erin", "rb-" + i);
      engine.awaitOperation("shop", PRODUCTION, "rb-" + i);
    }
    List<String> waiting = List.of("rb-5", "rb-6", "rb-7", "rb-8", "rb-9");
    EnvironmentView view = engine.awaitEnvironment("shop", PRODUCTION, v -> ids(v).equals(waiting));
    assertEquals(waiting, ids(view), "the deploy's entry went, rb-0 to rb-4 were dropped");
    // the deploy's entry was archived as it ended, before the archive failed: not dropped
    assertEquals(5, view.forgotten().unarchivedAudit(), view.forgotten().toString());
    List<String> before = archivedIn(PRODUCTION);
    assertEquals(1, before.size(), before.toString());
    assertTrue(before.get(0).endsWith("/" + PRODUCTION), "only the release's deploy: " + before);

    // the archive is back: every entry that waited is archived as the next ends (write-through),
    // and the record gives way down to the three kept; the dropped ones are not archived
    engine.stages.failing.remove("archive");
    engine.rollback("shop", PRODUCTION, "0000000", "erin", "rb-10");
    engine.awaitOperation("shop", PRODUCTION, "rb-10");
    EnvironmentView later =
        engine.awaitEnvironment(
            "shop", PRODUCTION, v -> ids(v).equals(List.of("rb-8", "rb-9", "rb-10")));
    assertEquals(
        List.of("rb-5", "rb-6", "rb-7", "rb-8", "rb-9", "rb-10"),
        archivedIn(PRODUCTION).stream().skip(1).toList());
    assertEquals(5, later.forgotten().unarchivedAudit(), "what was dropped stays counted");
  }

  @Test
  void byDefaultAFailingArchiveLeavesAHundredEntriesAtMost() {
    engine = new EngineTestEnvironment();
    release(Specs.SHA_1);
    engine.stages.failing.add("archive");
    int rollbacks = 120;
    for (int i = 0; i < rollbacks; i++) {
      engine.rollback("shop", PRODUCTION, "0000000", "erin", "rb-" + i);
      engine.awaitOperation("shop", PRODUCTION, "rb-" + i);
    }
    EnvironmentView view =
        engine.awaitEnvironment(
            "shop",
            PRODUCTION,
            v -> ids(v).size() <= 100 && ids(v).get(ids(v).size() - 1).equals("rb-119"));
    assertEquals(100, view.audit().size(), "50 kept and 50 waiting for the archive");
    assertEquals("rb-20", view.audit().get(0).id());
    // the release's deploy was archived as it ended (write-through): rb-0 to rb-19 were dropped
    assertEquals(rollbacks - 100, view.forgotten().unarchivedAudit());
  }

  private List<String> archivedIn(String environment) {
    synchronized (engine.stages.archived) {
      return engine.stages.archived.values().stream()
          .filter(e -> e.environment().equals(environment))
          .map(AuditEntry::id)
          .toList();
    }
  }

  private static List<String> ids(EnvironmentView view) {
    return view.audit() == null ? List.of() : view.audit().stream().map(AuditEntry::id).toList();
  }
}
