package org.releaseengine.cli;

import org.releaseengine.release.ApprovalClient;
import org.releaseengine.release.ApprovalClient.Outcome;

/** approve and reject: the shared check-then-signal of {@link ApprovalClient}, as exit codes. */
final class Decisions {

  private Decisions() {}

  static int decide(ClientCommand command, String id, String as, boolean approve, String comment) {
    String who = Identity.resolve(as);
    Releases releases = command.releases();
    String workflowId = releases.resolve(id);
    Outcome outcome;
    try {
      outcome = new ApprovalClient(command.client(), releases::status).decide(workflowId, who, approve, comment);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(1, "interrupted");
    }
    switch (outcome.result()) {
      case ACCEPTED -> command.out().println(outcome.message());
      case REFUSED -> throw CliException.badInput(outcome.message());
      default -> throw new CliException(1, outcome.message());
    }
    return 0;
  }
}
