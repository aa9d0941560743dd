package org.releaseengine.cli;

import com.google.protobuf.ByteString;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.EngineNames;
import org.releaseengine.environment.EnvironmentView;
import org.releaseengine.environment.EnvironmentWorkflow;

/** Reads an environment's workflow, refusing names that were never deployed. */
final class Environments {

  private static final int PAGE = 1000;

  private final WorkflowClient client;

  Environments(WorkflowClient client) {
    this.client = client;
  }

  /**
   * The environments {@code service} has been deployed to: those whose environment workflow ({@link
   * EngineNames#environmentId}) is running. Environment workflows run for as long as the
   * environment exists (they continue as new), so the open executions are all of them; listing them
   * by id needs no search attributes, so it works on every server.
   */
  List<String> of(String service) {
    String prefix = EngineNames.environmentId(service, "");
    List<String> names = new ArrayList<>();
    ByteString token = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse page =
          client
              .getWorkflowServiceStubs()
              .blockingStub()
              .listOpenWorkflowExecutions(
                  ListOpenWorkflowExecutionsRequest.newBuilder()
                      .setNamespace(client.getOptions().getNamespace())
                      .setMaximumPageSize(PAGE)
                      .setNextPageToken(token)
                      .build());
      for (WorkflowExecutionInfo info : page.getExecutionsList()) {
        String id = info.getExecution().getWorkflowId();
        String name = id.substring(Math.min(prefix.length(), id.length()));
        if (id.startsWith(prefix)
            && EngineNames.NAME.matcher(name).matches()
            && !names.contains(name)) {
          names.add(name);
        }
      }
      token = page.getNextPageToken();
    } while (!token.isEmpty());
    return names;
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
