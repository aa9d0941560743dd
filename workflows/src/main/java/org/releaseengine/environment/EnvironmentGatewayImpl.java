package org.releaseengine.environment;

import io.temporal.client.WorkflowClient;
import org.releaseengine.client.EnvironmentRequests;

/**
 * The release's hand-off to its environments, as an activity: EnvironmentRequests on the worker.
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
