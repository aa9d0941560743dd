package org.releaseengine.release;

import io.temporal.workflow.Workflow;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.releaseengine.EngineMeters;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.Decision;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.StageState;

/**
 * A release waiting at an approval gate: the {@link ApprovalDesk} takes the decisions while it
 * waits, and the wait ends approved, rejected, expired (the policy's timeout) or aborted.
 */
final class ApprovalGate {

  private final StageBoard board;
  private final StageRunner stages;
  private final ApprovalDesk desk;
  private final Consumer<ReleaseState> setState;

  ApprovalGate(
      StageBoard board, StageRunner stages, ApprovalDesk desk, Consumer<ReleaseState> setState) {
    this.board = board;
    this.stages = stages;
    this.desk = desk;
    this.setState = setState;
  }

  /**
   * Waits at {@code stage} for {@code policy}'s approvals.
   *
   * @throws ReleaseStopped when the release is rejected, expires or is aborted
   */
  void await(ApprovalPolicy policy, StageRef stage, String service) {
    stages.stopIfAborted(stage);
    board.start(
        stage, "waiting for " + policy.required() + " of " + String.join(", ", policy.approvers()));
    setState.accept(ReleaseState.AWAITING_APPROVAL);
    long waitFrom = Workflow.currentTimeMillis();
    desk.open(policy);
    Supplier<Boolean> decided =
        () -> desk.approved() || desk.rejection() != null || stages.aborted();
    boolean inTime =
        policy.timeout() == null
            ? waitUntil(decided)
            : Workflow.await(policy.timeout(), decided::get);
    desk.close();
    EngineMeters.approvalWaited(
        service,
        stages.aborted()
            ? "aborted"
            : desk.approved() ? "approved" : desk.rejection() != null ? "rejected" : "expired",
        Workflow.currentTimeMillis() - waitFrom);
    setState.accept(ReleaseState.RUNNING);
    if (stages.aborted()) {
      stages.stop(stage, StageState.CANCELLED, ReleaseState.ABORTED, stages.abortReason());
    }
    // A decision the desk accepted counts even when the timer fired in the same workflow task:
    // what was recorded decides, not which wake-up came first.
    if (!inTime
        && (desk.approved() || desk.rejection() != null)
        && WorkflowChanges.applies(WorkflowChanges.DECISION_BEFORE_TIMEOUT)) {
      inTime = true;
    }
    if (!inTime) {
      stages.stop(
          stage,
          StageState.FAILED,
          ReleaseState.EXPIRED,
          "no approval within " + ReleaseWorkflowImpl.human(policy.timeout()));
    }
    Decision rejection = desk.rejection();
    if (rejection != null) {
      stages.stop(
          stage,
          StageState.FAILED,
          ReleaseState.REJECTED,
          "rejected by "
              + rejection.by()
              + (rejection.comment() == null ? "" : ": " + rejection.comment()));
    }
    board.finish(stage, StageState.SUCCEEDED, "approved by " + String.join(", ", desk.approvers()));
  }

  private static boolean waitUntil(Supplier<Boolean> condition) {
    Workflow.await(condition::get);
    return true;
  }
}
