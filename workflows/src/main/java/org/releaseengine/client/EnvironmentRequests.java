package org.releaseengine.client;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import org.releaseengine.EngineNames;
import org.releaseengine.SearchAttributesKeys;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.EnvironmentState;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.RollbackRequest;

/**
 * Requests to an environment's workflow ({@code env/<service>/<environment>}) by signal-with-start,
 * which starts it the first time it is needed: what release-cli's rollback and the release's
 * hand-off (the worker's EnvironmentGatewayImpl) both send.
 */
public final class EnvironmentRequests {

  private final WorkflowClient client;

  public EnvironmentRequests(WorkflowClient client) {
    this.client = client;
  }

  public void submitDeploy(DeployOrder order) {
    EnvironmentWorkflow stub = stub(client, order.service(), order.environment());
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(stub::run, EnvironmentState.empty(order.service(), order.environment()));
    request.add(stub::deploy, order);
    client.signalWithStart(request);
  }

  public void submitRollback(String service, String environment, RollbackRequest rollback) {
    EnvironmentWorkflow stub = stub(client, service, environment);
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(stub::run, EnvironmentState.empty(service, environment));
    request.add(stub::rollback, rollback);
    client.signalWithStart(request);
  }

  /** The stub every caller uses to reach an environment's workflow. */
  public static EnvironmentWorkflow stub(
      WorkflowClient client, String service, String environment) {
    return client.newWorkflowStub(
        EnvironmentWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(EngineNames.environmentId(service, environment))
            .setTaskQueue(EngineNames.TASK_QUEUE)
            // an environment has one workflow: signal-with-start must reach the running one, never
            // start another
            .setWorkflowIdConflictPolicy(
                WorkflowIdConflictPolicy.WORKFLOW_ID_CONFLICT_POLICY_USE_EXISTING)
            .setTypedSearchAttributes(
                SearchAttributes.newBuilder()
                    .set(SearchAttributesKeys.SERVICE, service)
                    .set(SearchAttributesKeys.ENVIRONMENT, environment)
                    .build())
            .build());
  }
}
