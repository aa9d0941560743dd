package org.releaseengine.cli;

import io.temporal.client.WorkflowClient;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentWorkflow;

/** Reads an environment's workflow, refusing names that were never deployed. */
final class Environments {

  private final WorkflowClient client;
  private final Releases releases;

  Environments(WorkflowClient client) {
    this.client = client;
    this.releases = new Releases(client);
  }

  EnvironmentView view(String service, String environment) {
    if (!EngineNames.NAME.matcher(service).matches()) {
      throw CliException.badInput("malformed service name '" + service + "'");
    }
    if (!EngineNames.NAME.matcher(environment).matches()) {
      throw CliException.badInput("malformed environment name '" + environment + "'");
    }
    String id = EngineNames.environmentId(service, environment);
    if (releases.describe(id).isEmpty()) {
      throw CliException.badInput(
          "unknown environment: " + service + " has never been deployed to '" + environment + "'");
    }
    return client.newWorkflowStub(EnvironmentWorkflow.class, id).view();
  }
}
