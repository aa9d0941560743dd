package org.releaseengine.cli;

import org.releaseengine.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "watch",
    description = "Follow a release's stages live until it ends (exit codes as start --wait).")
final class WatchCommand extends ClientCommand {

  @Parameters(paramLabel = "ID", description = Releases.ID_FORMS)
  String id;

  @Override
  public Integer call() {
    String workflowId = releases().resolve(id);
    ReleaseStatus end =
        Progress.follow(out(), () -> releases().status(workflowId), releases().changes(workflowId));
    (end.state().exitCode() == 0 ? out() : err()).println(StatusView.outcomeLine(end));
    return end.state().exitCode();
  }
}
