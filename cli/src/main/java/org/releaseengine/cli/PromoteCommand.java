package org.releaseengine.cli;

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
    try {
      // no canary strategy yet: the workflow refuses, and that refusal is what the person sees
      return Outcomes.report(SignalWatch.await(releases()::status, workflowId, before, now -> false,
          now -> "promoted " + workflowId), out());
    } catch (InterruptedException e) {
      throw Outcomes.interrupted();
    }
  }
}
