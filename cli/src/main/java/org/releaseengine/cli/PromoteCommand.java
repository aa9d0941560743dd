package org.releaseengine.cli;

import org.releaseengine.signing.DecisionSubject;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "promote", description = "Skip the remaining pauses of a canary release.")
final class PromoteCommand extends ClientCommand {

  @Mixin ReleaseTarget target;

  @Override
  public Integer call() {
    String workflowId = releases().resolve(target.id);
    Decisions.decide(this, target, DecisionSubject.Kind.PROMOTE, null);
    out().println("promoted " + workflowId + ": the canary skips its remaining pauses");
    return 0;
  }
}
