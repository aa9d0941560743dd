package org.releaseengine;

import io.temporal.workflow.Workflow;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.EnvironmentState;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.PromoteRequest;
import org.releaseengine.environment.RollbackRequest;

/**
 * An environment that is lost to its releases: it takes every signal and never answers. It runs on
 * its own task queue ({@link EngineTestEnvironment#LOST_QUEUE}), so that a test starts it there
 * under an environment's id and the releases' signal-with-start finds it. Its tasks complete (a
 * task nobody polls would keep the test server from skipping time).
 */
public class DeafEnvironment implements EnvironmentWorkflow {

  private int heard;

  @Override
  public void run(EnvironmentState state) {
    Workflow.await(() -> false);
  }

  @Override
  public void deploy(DeployOrder order) {
    heard++;
  }

  @Override
  public void rollback(RollbackRequest request) {
    heard++;
  }

  @Override
  public void cancelOrder(String orderId) {
    heard++;
  }

  @Override
  public void promote(PromoteRequest request) {
    heard++;
  }

  @Override
  public void releaseLease(String orderId) {
    heard++;
  }

  @Override
  public EnvironmentView view() {
    return null;
  }

  @Override
  public org.releaseengine.environment.Operation requestRollback(
      org.releaseengine.signing.SignedDecision decision) {
    Workflow.await(() -> false);
    return null;
  }

  @Override
  public void validateRollback(org.releaseengine.signing.SignedDecision decision) {}
}
