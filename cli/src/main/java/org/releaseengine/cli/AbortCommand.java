package org.releaseengine.cli;

import org.releaseengine.signing.DecisionSubject;
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
    String workflowId = releases().resolve(target.id);
    Decisions.decide(this, target, DecisionSubject.Kind.ABORT, reason);
    out().println(StatusView.outcomeLine(releases().awaitEnd(workflowId)));
    return 0;
  }
}
