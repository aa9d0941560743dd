package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import org.releaseengine.model.Decision;
import org.releaseengine.model.StageStatus;

/**
 * What a release tells its environment about a deploy for the audit trail: the decisions it
 * accepted (approvers with their comments and signing keys) and its stages so far with their
 * summaries (the scanners', the E2E suite's).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseAudit(List<Decision> decisions, List<StageStatus> stages) {}
