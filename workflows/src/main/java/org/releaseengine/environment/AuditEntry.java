package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import org.releaseengine.model.Decision;
import org.releaseengine.model.StageStatus;

/**
 * One deploy or rollback as the audit trail keeps it, after the operation itself is forgotten: the
 * digest, who asked, the release that asked (null for a rollback asked directly), its decisions
 * (approvers, comments, signing keys) and stage summaries, and how it ended.
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
    long endedAtMs) {}
