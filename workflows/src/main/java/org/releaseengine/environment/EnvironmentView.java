package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.Slot;

/**
 * What `release-cli history` shows: deployments newest first, what is live and warm, what each host
 * served when last read or changed, operations, and how many of the oldest records it no longer
 * keeps (null from earlier code: none); the rollback window of its spec (null: not known) and its
 * audit trail, oldest first (null from earlier code).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentView(
    String service,
    String environment,
    List<ShaRecord> deployments,
    String liveSha,
    Slot liveSlot,
    WarmSlot warm,
    List<Operation> operations,
    Map<String, String> hosts,
    Forgotten forgotten,
    Long rollbackWindowMs,
    List<AuditEntry> audit) {

  /** A view with no hosts, forgotten records, window or audit trail (a stand-in's answer). */
  public EnvironmentView(
      String service,
      String environment,
      List<ShaRecord> deployments,
      String liveSha,
      Slot liveSlot,
      WarmSlot warm,
      List<Operation> operations) {
    this(
        service,
        environment,
        deployments,
        liveSha,
        liveSlot,
        warm,
        operations,
        null,
        null,
        null,
        null);
  }

  /**
   * A sha with its deployment, flattened for display; {@code config} is its configuration's keyed
   * fingerprint, {@code commitTimeMs} the sha's commit time (null when not known).
   */
  public record ShaRecord(
      String sha,
      String digest,
      long deployedAtMs,
      String requestedBy,
      Operation.Kind via,
      String config,
      Long commitTimeMs) {

    public ShaRecord(
        String sha,
        String digest,
        long deployedAtMs,
        String requestedBy,
        Operation.Kind via,
        String config) {
      this(sha, digest, deployedAtMs, requestedBy, via, config, null);
    }

    public ShaRecord(
        String sha, String digest, long deployedAtMs, String requestedBy, Operation.Kind via) {
      this(sha, digest, deployedAtMs, requestedBy, via, null, null);
    }
  }

  public Operation operation(String id) {
    return operations.stream().filter(o -> o.id().equals(id)).findFirst().orElse(null);
  }
}
