package org.releaseengine.release;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.releaseengine.environment.DeployOutcome;
import org.releaseengine.environment.DeployProgress;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseStatus;

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

  @QueryMethod
  ReleaseStatus status();
}
