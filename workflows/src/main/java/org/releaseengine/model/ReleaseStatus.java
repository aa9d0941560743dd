package org.releaseengine.model;

import java.util.List;

/** What the status query (and the workflow result) reports about one release. */
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
    List<Measurement> measurements) {

  public List<String> approvers() {
    return Decision.approvers(decisions);
  }

  public StageStatus stage(Stage stage) {
    return stages.stream().filter(s -> s.stage() == stage).findFirst().orElseThrow();
  }
}
