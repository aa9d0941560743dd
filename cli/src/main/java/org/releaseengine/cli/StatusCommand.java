package org.releaseengine.cli;

import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
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
    Releases releases = releases();
    // one describe finds the release and serves the status and the UI link
    DescribeWorkflowExecutionResponse described = releases.describedRelease(id);
    String workflowId = described.getWorkflowExecutionInfo().getExecution().getWorkflowId();
    ReleaseStatus status = releases.status(described);
    if (output.json()) {
      Output.json(out(), status);
    } else {
      StatusView.print(out(), status);
      Temporal.uiLink(workflowId, described.getWorkflowExecutionInfo().getExecution().getRunId())
          .ifPresent(link -> out().println("Temporal UI: " + link));
    }
    return 0;
  }
}
