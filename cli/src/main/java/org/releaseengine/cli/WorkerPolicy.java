package org.releaseengine.cli;

import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import org.releaseengine.admission.PolicyAnswer;
import org.releaseengine.admission.PolicyQuestion;
import org.releaseengine.client.PolicyQuestions;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.signing.SignedDecision;

/** Asks the worker whether its operator policy admits a release.yaml (the CLI cannot read it). */
final class WorkerPolicy {

  private WorkerPolicy() {}

  /**
   * The effective policy the worker would give {@code spec} started by {@code requester}.
   *
   * @throws CliException (bad input) naming the refused field, or (unreachable) with no worker
   */
  static PolicyAnswer admit(
      WorkflowClient client,
      Path config,
      ReleaseSpec spec,
      String requester,
      String releaseId,
      SignedDecision signedStart) {
    PolicyAnswer answer;
    try {
      answer =
          new PolicyQuestions(client)
              .ask(PolicyQuestion.start(spec, requester, releaseId, signedStart));
    } catch (IllegalStateException noAnswer) {
      throw new CliException(CliException.UNREACHABLE, noAnswer.getMessage());
    }
    if (!answer.allowed()) {
      throw CliException.badInput(
          config + ": refused by the worker's operator policy: " + answer.refusal());
    }
    return answer;
  }
}
