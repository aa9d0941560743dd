package org.releaseengine.cli;

import org.releaseengine.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show a release: state, each stage, digest, approvals.")
final class StatusCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = "release/<service>/<sha> or <service>/<sha-prefix>")
  String id;

  @Mixin OutputFormat output;

  @Override
  public Integer call() {
    String workflowId = releases().resolve(id);
    ReleaseStatus status = releases().status(workflowId);
    if (output.json()) {
      Output.json(out(), status);
    } else {
      StatusView.print(out(), status);
      releases()
          .describe(workflowId)
          .flatMap(
              d ->
                  Temporal.uiLink(
                      workflowId, d.getWorkflowExecutionInfo().getExecution().getRunId()))
          .ifPresent(link -> out().println("Temporal UI: " + link));
    }
    return 0;
  }
}
