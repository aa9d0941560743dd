package org.releaseengine.worker;

import io.temporal.client.WorkflowClient;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.EnvironmentGateway;
import org.releaseengine.environment.RollbackRequest;

/**
 * The release's hand-off to its environments, as an activity of the worker: a client call
 * (EnvironmentRequests), which is why it lives here and not beside the workflow that calls it.
 */
public class EnvironmentGatewayImpl implements EnvironmentGateway {

  private final EnvironmentRequests requests;

  public EnvironmentGatewayImpl(WorkflowClient client) {
    this.requests = new EnvironmentRequests(client);
  }

  @Override
  public void submitDeploy(DeployOrder order) {
    requests.submitDeploy(order);
  }

  @Override
  public void submitRollback(String service, String environment, RollbackRequest rollback) {
    requests.submitRollback(service, environment, rollback);
  }
}
