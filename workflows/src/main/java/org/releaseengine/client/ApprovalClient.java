package org.releaseengine.client;

import io.temporal.client.WorkflowClient;
import java.util.function.Function;
import org.releaseengine.client.SignalWatch.Outcome;
import org.releaseengine.client.SignalWatch.Result;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * Approving or rejecting from outside (release-cli, the Slack endpoint): it checks first (is the
 * release waiting, may this person decide), signals, then watches the status ({@link SignalWatch}).
 */
public final class ApprovalClient {

  private final WorkflowClient client;
  private final Function<String, ReleaseStatus> statusOf;

  public ApprovalClient(WorkflowClient client, Function<String, ReleaseStatus> statusOf) {
    this.client = client;
    this.statusOf = statusOf;
  }

  public Outcome decide(String workflowId, String who, boolean approve, String comment)
      throws InterruptedException {
    ReleaseStatus before = statusOf.apply(workflowId);
    if (before.state() != ReleaseState.AWAITING_APPROVAL) {
      return new Outcome(
          Result.REFUSED,
          workflowId
              + " is not awaiting approval (state "
              + before.state()
              + (before.currentStage() == null ? "" : ", stage " + before.currentStage().label())
              + ")",
          before);
    }
    String refusal =
        approve
            ? before.approvalPolicy().refusalFor(who, before.requester(), before.approvers())
            : before.approvalPolicy().rejectionRefusalFor(who, before.requester());
    if (refusal != null) {
      return new Outcome(
          Result.REFUSED,
          "cannot " + (approve ? "approve " : "reject ") + workflowId + ": " + refusal,
          before);
    }
    ReleaseWorkflow release = client.newWorkflowStub(ReleaseWorkflow.class, workflowId);
    if (approve) {
      release.approve(new Approval(who, comment));
    } else {
      release.reject(new Approval(who, comment));
    }
    return SignalWatch.await(
        statusOf,
        workflowId,
        before,
        now -> approve ? now.approvers().contains(who) : now.state().isFinal(),
        now ->
            approve ? approvedLine(workflowId, who, now) : "rejected " + workflowId + " as " + who);
  }

  /** What approve says once the approval counts: how many of how many, and what comes next. */
  public static String approvedLine(String workflowId, String who, ReleaseStatus now) {
    int required = now.approvalPolicy().required();
    int have = now.approvers().size();
    return "approved "
        + workflowId
        + " as "
        + who
        + " ("
        + have
        + " of "
        + required
        + " required)"
        + (have < required
            ? "; waiting for " + (required - have) + " more"
            : "; it goes on to production");
  }
}
