package org.releaseengine.release;

import io.temporal.client.WorkflowClient;
import java.util.function.Function;
import org.releaseengine.model.Approval;
import org.releaseengine.model.RefusedSignal;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;

/**
 * Approving or rejecting from outside (release-cli, the Slack endpoint): signals return nothing, so it
 * checks first (is the release waiting, may this person decide), signals, then watches the status
 * briefly until the decision shows or the workflow records that it refused it.
 */
public final class ApprovalClient {

  /** What became of a decision, with one line to show the person who made it. */
  public record Outcome(Result result, String message, ReleaseStatus status) {
    public boolean accepted() {
      return result == Result.ACCEPTED;
    }
  }

  /** Accepted; refused (by the check before signalling, or by the workflow); or sent without effect. */
  public enum Result { ACCEPTED, REFUSED, NO_EFFECT }

  private static final long WAIT_MS = 10_000;

  private final WorkflowClient client;
  private final Function<String, ReleaseStatus> statusOf;

  public ApprovalClient(WorkflowClient client, Function<String, ReleaseStatus> statusOf) {
    this.client = client;
    this.statusOf = statusOf;
  }

  public Outcome decide(String workflowId, String who, boolean approve, String comment) throws InterruptedException {
    ReleaseStatus before = statusOf.apply(workflowId);
    if (before.state() != ReleaseState.AWAITING_APPROVAL) {
      return new Outcome(Result.REFUSED, workflowId + " is not awaiting approval (state " + before.state()
          + (before.currentStage() == null ? "" : ", stage " + before.currentStage().label()) + ")", before);
    }
    String refusal = approve ? before.approvalPolicy().refusalFor(who, before.requester(), before.approvers())
        : before.approvalPolicy().rejectionRefusalFor(who, before.requester());
    if (refusal != null) {
      return new Outcome(Result.REFUSED, "cannot " + (approve ? "approve " : "reject ") + workflowId + ": " + refusal, before);
    }
    ReleaseWorkflow release = client.newWorkflowStub(ReleaseWorkflow.class, workflowId);
    if (approve) {
      release.approve(new Approval(who, comment));
    } else {
      release.reject(new Approval(who, comment));
    }
    long deadline = System.currentTimeMillis() + WAIT_MS;
    while (System.currentTimeMillis() < deadline) {
      ReleaseStatus now = statusOf.apply(workflowId);
      if (now.refusedSignals().size() > before.refusedSignals().size()) {
        RefusedSignal refused = now.refusedSignals().get(before.refusedSignals().size());
        return new Outcome(Result.REFUSED, "refused by " + workflowId + ": " + refused.reason(), now);
      }
      if (approve ? now.approvers().contains(who) : now.state().isFinal()) {
        return new Outcome(Result.ACCEPTED, approve ? approvedLine(workflowId, who, now) : "rejected " + workflowId + " as " + who, now);
      }
      Thread.sleep(100);
    }
    return new Outcome(Result.NO_EFFECT, "sent, but " + workflowId + " has not shown the decision within " + WAIT_MS / 1000
        + "s; is a release-worker running?", before);
  }

  private static String approvedLine(String workflowId, String who, ReleaseStatus now) {
    int required = now.approvalPolicy().required();
    int have = now.approvers().size();
    return "approved " + workflowId + " as " + who + " (" + have + " of " + required + " required)"
        + (have < required ? "; waiting for " + (required - have) + " more" : "; it goes on to production");
  }
}
