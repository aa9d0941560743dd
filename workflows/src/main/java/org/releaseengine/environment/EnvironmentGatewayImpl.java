package org.releaseengine.environment;

import io.temporal.api.enums.v1.WorkflowIdConflictPolicy;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.common.SearchAttributes;
import org.releaseengine.EngineNames;
import org.releaseengine.SearchAttributesKeys;

/**
 * Signal-with-start on {@code env/<service>/<environment>}: starts it the first time it is needed.
 */
public class EnvironmentGatewayImpl implements EnvironmentGateway {

  private final WorkflowClient client;

  public EnvironmentGatewayImpl(WorkflowClient client) {
    this.client = client;
  }

  @Override
  public void submitDeploy(DeployOrder order) {
    EnvironmentWorkflow stub = stub(order.service(), order.environment());
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(stub::run, EnvironmentState.empty(order.service(), order.environment()));
    request.add(stub::deploy, order);
    client.signalWithStart(request);
  }

  @Override
  public void submitRollback(String service, String environment, RollbackRequest rollback) {
    EnvironmentWorkflow stub = stub(service, environment);
    BatchRequest request = client.newSignalWithStartRequest();
    request.add(stub::run, EnvironmentState.empty(service, environment));
    request.add(stub::rollback, rollback);
    client.signalWithStart(request);
  }

  /** The stub every caller (this gateway, the CLI) uses to reach an environment's workflow. */
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

  private EnvironmentWorkflow stub(String service, String environment) {
    return stub(client, service, environment);
  }
}
