package org.releaseengine.cli;

import org.releaseengine.client.ApprovalLines;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.signing.DecisionSubject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

@Command(name = "approve", description = "Approve a release that is waiting for approval.")
final class ApproveCommand extends ClientCommand {

  @Mixin ReleaseTarget target;

  @Option(names = "--comment", paramLabel = "TEXT", description = "why (kept in the audit trail)")
  String comment;

  @Override
  public Integer call() {
    DecisionOutcome outcome = Decisions.decide(this, target, DecisionSubject.Kind.APPROVE, comment);
    String id = releases().resolve(target.id);
    out().println(ApprovalLines.approved(id, outcome.by(), releases().status(id)));
    return 0;
  }
}
