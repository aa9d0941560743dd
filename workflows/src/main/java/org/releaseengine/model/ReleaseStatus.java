package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What the status query (and the workflow result) reports about one release. The refused signals
 * are the newest ones; {@code refusedSignalsDropped} counts the older ones no longer listed.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ReleaseStatus(
    String releaseId,
    String service,
    String sha,
    String requester,
    ApprovalPolicy approvalPolicy,
    ReleaseState state,
    Stage currentStage,
    List<StageStatus> stages,
    ImageRef image,
    List<Decision> decisions,
    List<RefusedSignal> refusedSignals,
    Stage failedStage,
    String reason,
    long startedAtMs,
    long endedAtMs,
    String notificationError,
    List<Measurement> measurements,
    int refusedSignalsDropped) {

  public ReleaseStatus(
      String releaseId,
      String service,
      String sha,
      String requester,
      ApprovalPolicy approvalPolicy,
      ReleaseState state,
      Stage currentStage,
      List<StageStatus> stages,
      ImageRef image,
      List<Decision> decisions,
      List<RefusedSignal> refusedSignals,
      Stage failedStage,
      String reason,
      long startedAtMs,
      long endedAtMs,
      String notificationError,
      List<Measurement> measurements) {
    this(
        releaseId,
        service,
        sha,
        requester,
        approvalPolicy,
        state,
        currentStage,
        stages,
        image,
        decisions,
        refusedSignals,
        failedStage,
        reason,
        startedAtMs,
        endedAtMs,
        notificationError,
        measurements,
        0);
  }

  /** Every signal refused so far, including the oldest ones no longer listed. */
  public int refusedSignalsTotal() {
    return refusedSignalsDropped + (refusedSignals == null ? 0 : refusedSignals.size());
  }

  public List<String> approvers() {
    return Decision.approvers(decisions);
  }

  public StageStatus stage(Stage stage) {
    return stages.stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
  }
}
