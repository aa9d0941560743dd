package org.releaseengine.cli;

import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.signing.DecisionSubject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "promote", description = "Skip the remaining pauses of a canary release.")
final class PromoteCommand extends ClientCommand {

  @Mixin ReleaseTarget target;

  @Override
  public Integer call() {
    String workflowId = releases().resolve(target.id);
    DecisionOutcome outcome = Decisions.decide(this, target, DecisionSubject.Kind.PROMOTE, null);
    Decisions.report(
        out(), "promoted " + workflowId + ": the canary skips its remaining pauses", outcome);
    return 0;
  }
}
