package org.releaseengine.cli;

import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.AbortRequest;
import org.releaseengine.release.SignalWatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "abort", description = "Stop a running release; the stage it is in is cancelled.")
final class AbortCommand extends ClientCommand {

  @Mixin
  ReleaseTarget target;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String reason;

  @Override
  public Integer call() {
    String who = target.who();
    String workflowId = releases().resolve(target.id);
    ReleaseStatus before = releases().running(workflowId);
    releases().stub(workflowId).abort(new AbortRequest(who, reason));
    try {
      return Outcomes.report(SignalWatch.await(releases()::status, workflowId, before,
          now -> now.state().isFinal(), StatusView::outcomeLine), out());
    } catch (InterruptedException e) {
      throw Outcomes.interrupted();
    }
  }
}
