package org.releaseengine.cli;

import org.releaseengine.release.AbortRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "abort", description = "Stop a running release; the stage it is in is cancelled.")
final class AbortCommand extends ClientCommand {

  @Mixin ReleaseTarget target;

  @Option(names = "--reason", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String reason;

  @Override
  public Integer call() {
    String who = target.who();
    String workflowId = releases().resolve(target.id);
    return signalAndWatch(
        workflowId,
        release -> release.abort(new AbortRequest(who, reason)),
        before -> now -> now.state().isFinal(),
        StatusView::outcomeLine);
  }
}
