package org.releaseengine.cli;

import org.releaseengine.model.Decision;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.SignalWatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

@Command(name = "promote", description = "Skip the remaining pauses of a canary release.")
final class PromoteCommand extends ClientCommand {

  @Mixin
  ReleaseTarget target;

  @Override
  public Integer call() {
    String who = target.who();
    String workflowId = releases().resolve(target.id);
    ReleaseStatus before = releases().running(workflowId);
    releases().stub(workflowId).promote(who);
    long promotesBefore = promotes(before);
    try {
      return Outcomes.report(SignalWatch.await(releases()::status, workflowId, before,
          now -> promotes(now) > promotesBefore,
          now -> "promoted " + workflowId + ": the canary skips its remaining pauses"), out());
    } catch (InterruptedException e) {
      throw Outcomes.interrupted();
    }
  }

  private static long promotes(ReleaseStatus status) {
    return status.decisions().stream().filter(d -> Decision.PROMOTE.equals(d.kind())).count();
  }
}
