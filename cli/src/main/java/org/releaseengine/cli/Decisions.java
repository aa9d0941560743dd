package org.releaseengine.cli;

import io.temporal.client.WorkflowUpdateException;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.signing.DecisionSubject;

/**
 * approve, reject, abort and promote: a signed decision sent as the release's {@code decide}
 * update, which answers at once whether it was accepted (and by whom) or why not.
 */
final class Decisions {

  private Decisions() {}

  /** Signs {@code kind} on the release and sends it; the accepted outcome, or a CliException. */
  static DecisionOutcome decide(
      ClientCommand command, ReleaseTarget target, DecisionSubject.Kind kind, String comment) {
    Releases releases = command.releases();
    String workflowId = releases.resolve(target.id);
    ReleaseStatus before = releases.running(workflowId);
    DecisionSubject subject =
        switch (kind) {
          case ABORT -> DecisionSubject.abort(workflowId);
          case APPROVE ->
              DecisionSubject.approve(workflowId, digest(before, workflowId), gate(before));
          case REJECT ->
              DecisionSubject.reject(workflowId, digest(before, workflowId), gate(before));
          default -> DecisionSubject.promote(workflowId, digest(before, workflowId));
        };
    DecisionOutcome outcome;
    try {
      outcome = releases.stub(workflowId).decide(Signing.sign(target.key.path, subject, comment));
    } catch (WorkflowUpdateException e) {
      throw CliException.badInput("cannot " + kind + " " + workflowId + ": " + rootMessage(e));
    }
    if (!outcome.accepted()) {
      throw CliException.badInput("cannot " + kind + " " + workflowId + ": " + outcome.message());
    }
    return outcome;
  }

  /** The environment whose approval the release waits for (a listed walk's gate), or null. */
  private static String gate(ReleaseStatus status) {
    return status.currentStage() == Stage.APPROVAL ? status.currentEnvironment() : null;
  }

  private static String digest(ReleaseStatus status, String workflowId) {
    if (status.image() == null) {
      throw CliException.badInput(workflowId + " has no image yet to decide on");
    }
    return status.image().digest();
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    String message = t.getMessage();
    int cut = message.indexOf("message='");
    return cut < 0 ? message : message.substring(cut + 9, message.indexOf('\'', cut + 9));
  }
}
