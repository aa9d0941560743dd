package org.releaseengine.release;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.releaseengine.environment.DeployOutcome;
import org.releaseengine.environment.DeployProgress;
import org.releaseengine.model.Approval;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.SlackClick;
import org.releaseengine.signing.SignedDecision;

/**
 * One release of one sha of one service ({@code release/<service>/<sha>}), from build to
 * production.
 */
@WorkflowInterface
public interface ReleaseWorkflow {

  @WorkflowMethod
  ReleaseStatus run(ReleaseRequest request);

  @SignalMethod
  void approve(Approval approval);

  @SignalMethod
  void reject(Approval rejection);

  @SignalMethod
  void abort(AbortRequest request);

  /** Skip the remaining canary pauses. */
  @SignalMethod
  void promote(String by);

  /** Sent by the environment workflow while the canary this release ordered runs. */
  @SignalMethod
  void deployProgress(DeployProgress progress);

  /** Sent by the environment workflow when the deploy this release ordered has ended. */
  @SignalMethod
  void deployFinished(DeployOutcome outcome);

  /**
   * A signed approve, reject, abort or promote (docs/signing.md). The worker verifies the signature
   * against the policy's allowed_signers; the decider is the principal whose key signed. The answer
   * says at once whether it was accepted; refusals are also in the audit trail.
   */
  @UpdateMethod
  DecisionOutcome decide(SignedDecision decision);

  /** Turns away what is not a decision on this release at all (nothing is recorded for it). */
  @UpdateValidatorMethod(updateName = "decide")
  void validateDecide(SignedDecision decision);

  /**
   * An Approve or Reject click in Slack, passed on by the worker's Slack endpoint; the worker
   * confirms it (its MAC, the policy's Slack user mapping) and the decider is recorded as {@code
   * slack:U…}. Refused where the approval takes SSH-signed decisions only.
   */
  @UpdateMethod
  DecisionOutcome decideFromSlack(SlackClick click);

  /** Turns away what is not a whole Slack click (nothing is recorded for it). */
  @UpdateValidatorMethod(updateName = "decideFromSlack")
  void validateDecideFromSlack(SlackClick click);

  @QueryMethod
  ReleaseStatus status();
}
