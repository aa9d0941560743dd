package org.releaseengine.cli;

import io.temporal.client.WorkflowClient;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentWorkflow;

/** Reads an environment's workflow, refusing names that were never deployed. */
final class Environments {

  private final WorkflowClient client;

  Environments(WorkflowClient client) {
    this.client = client;
  }

  EnvironmentView view(String service, String environment) {
    if (!EngineNames.NAME.matcher(service).matches()) {
      throw CliException.badInput("malformed service name '" + service + "'");
    }
    if (!EngineNames.NAME.matcher(environment).matches()) {
      throw CliException.badInput("malformed environment name '" + environment + "'");
    }
    String id = EngineNames.environmentId(service, environment);
    try {
      return client.newWorkflowStub(EnvironmentWorkflow.class, id).view();
    } catch (RuntimeException e) {
      // one call, not a describe first: Temporal answers NOT_FOUND for a workflow never started
      if (Temporal.isNotFound(e)) {
        throw CliException.badInput(
            "unknown environment: "
                + service
                + " has never been deployed to '"
                + environment
                + "'");
      }
      throw e;
    }
  }
}
