package org.releaseengine.environment;

import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

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

  @QueryMethod
  EnvironmentView view();
}
