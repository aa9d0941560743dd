package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import org.releaseengine.model.Decision;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.model.StageStatus;

/**
 * One deploy or rollback as the audit trail keeps it, after the operation itself is forgotten: the
 * digest, who asked, the release that asked (null for a rollback asked directly), its decisions
 * (approvers, comments, signing keys) and stage summaries, and how it ended. {@code liveAfter} is
 * what a successful one left live, kept in the archive only (null in the record's own entries and
 * from earlier code, and left out of the JSON then).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record AuditEntry(
    String id,
    String service,
    String environment,
    Operation.Kind kind,
    String sha,
    String digest,
    String requester,
    String release,
    List<Decision> decisions,
    List<StageStatus> stages,
    Operation.State outcome,
    String reason,
    long startedAtMs,
    long endedAtMs,
    @JsonInclude(JsonInclude.Include.NON_NULL) LiveAfter liveAfter) {

  public AuditEntry(
      String id,
      String service,
      String environment,
      Operation.Kind kind,
      String sha,
      String digest,
      String requester,
      String release,
      List<Decision> decisions,
      List<StageStatus> stages,
      Operation.State outcome,
      String reason,
      long startedAtMs,
      long endedAtMs) {
    this(
        id,
        service,
        environment,
        kind,
        sha,
        digest,
        requester,
        release,
        decisions,
        stages,
        outcome,
        reason,
        startedAtMs,
        endedAtMs,
        null);
  }

  /**
   * What a deploy or rollback that succeeded left live: the deployment (image, when and by whom,
   * its configuration's fingerprints, when its release was admitted), the slot it serves from and
   * the environment's spec (null where a reader leaves it out). What a restarted environment
   * rebuilds its record from.
   */
  @JsonIgnoreProperties(ignoreUnknown = true)
  public record LiveAfter(
      Deployment deployment,
      Slot slot,
      @JsonInclude(JsonInclude.Include.NON_NULL) EnvironmentSpec spec) {}

  /** This entry as the archive keeps it: with what it left live. */
  public AuditEntry withLiveAfter(LiveAfter live) {
    return new AuditEntry(
        id,
        service,
        environment,
        kind,
        sha,
        digest,
        requester,
        release,
        decisions,
        stages,
        outcome,
        reason,
        startedAtMs,
        endedAtMs,
        live);
  }

  /**
   * This entry as a record rebuilt from the archive reads it: without its decisions, stage
   * summaries and spec (the archive keeps them; the rebuild needs none of them).
   */
  public AuditEntry forRebuild() {
    return new AuditEntry(
        id,
        service,
        environment,
        kind,
        sha,
        digest,
        requester,
        release,
        null,
        null,
        outcome,
        reason,
        startedAtMs,
        endedAtMs,
        liveAfter == null ? null : new LiveAfter(liveAfter.deployment(), liveAfter.slot(), null));
  }
}
