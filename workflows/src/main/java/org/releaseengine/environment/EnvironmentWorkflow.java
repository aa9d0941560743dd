package org.releaseengine.environment;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import org.releaseengine.signing.SignedDecision;

/**
 * Owns one environment of one service ({@code env/<service>/<environment>}): every deploy and
 * rollback goes through it, one at a time, in order.
 */
@WorkflowInterface
public interface EnvironmentWorkflow {

  @WorkflowMethod
  void run(EnvironmentState state);

  @SignalMethod
  void deploy(DeployOrder order);

  @SignalMethod
  void rollback(RollbackRequest request);

  /** The release that placed the order gave up on it (aborted): stop it if it is running. */
  @SignalMethod
  void cancelOrder(String orderId);

  /** Someone asked the running canary of this order to skip its remaining pauses. */
  @SignalMethod
  void promote(PromoteRequest request);

  /** The release that placed the order is done with the environment: the next deploy may go. */
  @SignalMethod
  void releaseLease(String orderId);

  /**
   * A signed rollback (docs/signing.md): verified against the policy's allowed_signers and its
   * rollback list, then carried out before any waiting deploy (a running one is cancelled). Answers
   * with the finished operation (REFUSED with the reason when it is not allowed).
   */
  @UpdateMethod
  Operation requestRollback(SignedDecision decision);

  /** Turns away what is not a rollback of this environment (nothing is recorded for it). */
  @UpdateValidatorMethod(updateName = "requestRollback")
  void validateRollback(SignedDecision decision);

  @QueryMethod
  EnvironmentView view();
}
