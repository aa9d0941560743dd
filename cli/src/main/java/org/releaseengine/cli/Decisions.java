package org.releaseengine.cli;

import org.releaseengine.client.ApprovalClient;

/** approve and reject: the shared check-then-signal of {@link ApprovalClient}, as exit codes. */
final class Decisions {

  private Decisions() {}

  static int decide(ClientCommand command, ReleaseTarget target, boolean approve, String comment) {
    String who = target.who();
    Releases releases = command.releases();
    String workflowId = releases.resolve(target.id);
    try {
      return Outcomes.report(
          new ApprovalClient(command.client(), releases::status)
              .decide(workflowId, who, approve, comment),
          command.out());
    } catch (InterruptedException e) {
      throw Outcomes.interrupted();
    }
  }
}
