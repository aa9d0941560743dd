package org.releaseengine.environment;

import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.EngineNames;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.HostTraffic;
import org.releaseengine.stage.StageOptions;
import org.slf4j.Logger;

/**
 * Reads back the record of an environment whose run started empty although it had run before (its
 * workflow was terminated, or a reset went wrong, and the next signal-with-start began afresh):
 * from the newest entries of its audit archive, the operations and the shas that went live, the
 * newest live with its slot, spec and admission; from its hosts, what each serves, checked against
 * that. An operation of its own says what it was rebuilt from. Nothing here fails the workflow:
 * what cannot be read is noted, and the record starts empty (or without the hosts' word).
 */
final class RecordRebuild {

  /** How many of the newest archived entries are read back: as many operations as are kept. */
  static final int READ_BACK = 100;

  static final String REQUESTER = "release-engine (restart)";

  private static final Logger log = Workflow.getLogger(RecordRebuild.class);

  private final AuditActivities archive =
      Workflow.newActivityStub(AuditActivities.class, StageOptions.quick());
  private final DeployActivities hosts =
      Workflow.newActivityStub(DeployActivities.class, StageOptions.switchOrRetire());
  private final EnvironmentRecord record;

  RecordRebuild(EnvironmentRecord record) {
    this.record = record;
  }

  /**
   * Rebuilds the empty record from the archive and the hosts. An environment the archive knows
   * nothing of (its first run) stays empty and gets no operation.
   */
  void run() {
    AuditActivities.Archived archived;
    try {
      archived = archive.newestArchived(record.service(), record.environment(), READ_BACK);
    } catch (TemporalFailure failure) {
      String why = Failures.describe(failure);
      log.error("could not read the audit archive back: {}", why);
      record.rebuilt(
          null,
          Map.of(),
          null,
          null,
          List.of(),
          0,
          operation(
              null,
              Operation.State.FAILED,
              "could not rebuild the record after a restart: the audit archive could not be read ("
                  + why
                  + "); it starts empty",
              List.of()));
      return;
    }
    if (archived == null || archived.entries() == null || archived.entries().isEmpty()) {
      log.info("nothing archived: {} starts empty", Workflow.getInfo().getWorkflowId());
      return;
    }
    List<AuditEntry> entries = archived.entries();
    Map<String, Deployment> deployments = new LinkedHashMap<>();
    List<Operation> operations = new ArrayList<>();
    AuditEntry lastLive = null;
    for (AuditEntry entry : entries) {
      operations.add(operationOf(entry));
      if (entry.outcome() != Operation.State.SUCCEEDED
          || entry.kind() == null
          || entry.kind() == Operation.Kind.REBUILD) {
        continue;
      }
      lastLive = entry;
      Deployment live = entry.liveAfter() == null ? null : entry.liveAfter().deployment();
      if (live != null && live.image() != null && live.image().sha() != null) {
        deployments.remove(live.image().sha()); // in the order they went live
        deployments.put(live.image().sha(), live);
      }
    }
    List<String> notes = new ArrayList<>();
    String liveSha = null;
    Slot liveSlot = null;
    if (lastLive == null) {
      notes.add("no archived deploy or rollback went live");
    } else if (lastLive.liveAfter() == null || lastLive.liveAfter().deployment() == null) {
      notes.add(
          "the newest archived entry that went live ("
              + lastLive.id()
              + ", "
              + EngineNames.shortSha(lastLive.sha())
              + ") does not say what it left live (archived by earlier code): the live sha is"
              + " not known");
    } else {
      liveSha = lastLive.liveAfter().deployment().image().sha();
      liveSlot = lastLive.liveAfter().slot();
    }
    if (liveSha != null
        && nothingServed(archived.spec(), deployments.get(liveSha), liveSha, liveSlot, notes)) {
      liveSha = null;
      liveSlot = null;
    }
    String summary =
        "rebuilt after a restart from the newest "
            + entries.size()
            + " of "
            + archived.held()
            + " archived entries: "
            + deployments.size()
            + " sha(s) that went live; "
            + (liveSha == null
                ? "none is live"
                : EngineNames.shortSha(liveSha)
                    + " live"
                    + (liveSlot == null ? "" : " in the " + liveSlot.label() + " slot"));
    record.rebuilt(
        archived.spec(),
        deployments,
        liveSha,
        liveSlot,
        operations,
        archived.held() - entries.size(),
        operation(liveSha, Operation.State.SUCCEEDED, summary, notes));
  }

  /**
   * Reads what each host serves, records it, and notes where it is not what the archive left live:
   * a deploy or rollback cut short by the restart, or a host changed by hand. The record keeps the
   * archive's sha and slot then (the last known to be live: a rollback to it switches the hosts
   * back; the next deploy plans from what they serve). True when every host was read and none
   * serves the service: nothing is live.
   */
  private boolean nothingServed(
      EnvironmentSpec spec, Deployment live, String liveSha, Slot liveSlot, List<String> notes) {
    if (spec == null || spec.hosts() == null || spec.hosts().isEmpty()) {
      notes.add("the hosts were not read: the archive does not name them");
      return false;
    }
    List<HostTraffic> seen;
    try {
      seen =
          hosts.inspect(
              new SlotTarget(
                  record.service(),
                  record.environment(),
                  spec,
                  liveSlot == null ? Slot.BLUE : liveSlot,
                  live.image()));
    } catch (TemporalFailure failure) {
      notes.add(
          "the hosts could not be read ("
              + Failures.describe(failure)
              + "): the live slot is the archive's");
      return false;
    }
    List<String> each = new ArrayList<>();
    List<String> elsewhere = new ArrayList<>();
    boolean unknown = false;
    boolean serving = false;
    for (HostTraffic host : seen) {
      record.observe(host.host(), host.describe());
      each.add(host.host() + " serves " + host.describe());
      unknown |= !host.known();
      serving |= host.known() && !host.weights().isEmpty();
      if (host.known() && !host.weights().isEmpty() && host.soleSlot() != liveSlot) {
        elsewhere.add(host.host());
      }
    }
    notes.add("hosts: " + (each.isEmpty() ? "none" : String.join(", ", each)));
    if (!serving && !unknown && !seen.isEmpty()) {
      notes.add("no host serves the service: nothing is live");
      return true;
    }
    if (!elsewhere.isEmpty()) {
      notes.add(
          String.join(", ", elsewhere)
              + " not on the "
              + (liveSlot == null ? "recorded" : liveSlot.label())
              + " slot the archive left "
              + EngineNames.shortSha(liveSha)
              + " live in (a deploy or rollback cut short by the restart, or a change by hand): a"
              + " rollback to it switches back, the next deploy plans from what each serves");
    }
    return false;
  }

  /** An archived entry as the operation it was (without the notes the archive does not keep). */
  private static Operation operationOf(AuditEntry entry) {
    return new Operation(
        entry.id(),
        entry.kind(),
        entry.sha(),
        entry.requester(),
        entry.outcome(),
        entry.reason(),
        entry.startedAtMs(),
        entry.endedAtMs());
  }

  private static Operation operation(
      String sha, Operation.State state, String reason, List<String> notes) {
    long now = Workflow.currentTimeMillis();
    return new Operation(
        "rebuilt/" + Workflow.getInfo().getRunId(),
        Operation.Kind.REBUILD,
        sha,
        REQUESTER,
        state,
        reason,
        now,
        now,
        notes.isEmpty() ? null : List.copyOf(notes));
  }
}
