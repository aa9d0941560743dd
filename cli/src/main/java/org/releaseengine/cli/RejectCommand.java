package org.releaseengine.cli;

import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.signing.DecisionSubject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(
    name = "reject",
    description = "Reject a release that is waiting for approval; it ends REJECTED.")
final class RejectCommand extends ClientCommand {

  @Mixin ReleaseTarget target;

  @Option(names = "--comment", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String comment;

  @Override
  public Integer call() {
    DecisionOutcome outcome = Decisions.decide(this, target, DecisionSubject.Kind.REJECT, comment);
    out().println("rejected " + releases().resolve(target.id) + " as " + outcome.by());
    return 0;
  }
}
