package org.releaseengine.cli;

import org.releaseengine.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

@Command(name = "status", description = "Show a release: state, each stage, digest, approvals.")
final class StatusCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = Releases.ID_FORMS)
  String id;

  @Mixin OutputFormat output;

  /** {@code status ID}: exactly a release id, no option (see ReleaseCli#plainStatus). */
  static boolean isPlain(String[] args) {
    return args.length == 2 && args[0].equals("status") && !args[1].startsWith("-");
  }

  /** The command {@code status ID} is, made without picocli. */
  static StatusCommand text(String id) {
    StatusCommand command = new StatusCommand();
    command.id = id;
    command.output = new OutputFormat();
    command.output.format = OutputFormat.Format.text;
    return command;
  }

  @Override
  public Integer call() {
    Releases releases = releases();
    String workflowId = releases.named(id);
    ReleaseStatus status = releases.status(workflowId);
    if (output.json()) {
      Output.json(out(), status);
    } else {
      StatusView.print(out(), status);
      if (Temporal.uiConfigured()) { // the link names the run: one describe more
        String runId =
            releases.described(workflowId).getWorkflowExecutionInfo().getExecution().getRunId();
        Temporal.uiLink(workflowId, runId).ifPresent(link -> out().println("Temporal UI: " + link));
      }
    }
    return 0;
  }
}
