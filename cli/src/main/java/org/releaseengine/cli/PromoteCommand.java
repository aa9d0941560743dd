package org.releaseengine.cli;

import org.releaseengine.model.Decision;
import org.releaseengine.model.ReleaseStatus;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "promote", description = "Skip the remaining pauses of a canary release.")
final class PromoteCommand extends ClientCommand {

  @Mixin ReleaseTarget target;

  @Override
  public Integer call() {
    String who = target.who();
    String workflowId = releases().resolve(target.id);
    return signalAndWatch(
        workflowId,
        release -> release.promote(who),
        before -> now -> promotes(now) > promotes(before),
        now -> "promoted " + workflowId + ": the canary skips its remaining pauses");
  }

  private static long promotes(ReleaseStatus status) {
    return status.decisions().stream().filter(d -> d.kind() == Decision.Kind.PROMOTE).count();
  }
}
