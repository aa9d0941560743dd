package org.releaseengine.client;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import java.util.UUID;
import org.releaseengine.EngineNames;
import org.releaseengine.admission.PolicyAnswer;
import org.releaseengine.admission.PolicyCheckWorkflow;
import org.releaseengine.admission.PolicyQuestion;

/**
 * Asks the worker's operator policy (only the worker holds it) through a short workflow of its own:
 * nothing is started or changed by asking.
 */
public final class PolicyQuestions {

  /** How long a question may wait for a worker to answer it. */
  static final Duration PATIENCE = Duration.ofSeconds(30);

  private final WorkflowClient client;

  public PolicyQuestions(WorkflowClient client) {
    this.client = client;
  }

  /**
   * The policy's answer.
   *
   * @throws IllegalStateException with one line when no worker answered in time
   */
  public PolicyAnswer ask(PolicyQuestion question) {
    PolicyCheckWorkflow check =
        client.newWorkflowStub(
            PolicyCheckWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(EngineNames.POLICY_CHECK_PREFIX + UUID.randomUUID())
                .setTaskQueue(EngineNames.TASK_QUEUE)
                .setWorkflowExecutionTimeout(PATIENCE)
                .build());
    try {
      return check.check(question);
    } catch (WorkflowFailedException e) {
      if (e.getCause() instanceof TimeoutFailure) {
        throw new IllegalStateException(
            "no worker answered the policy question within "
                + PATIENCE.toSeconds()
                + " s (is bin/release-worker running?)");
      }
      throw new IllegalStateException(
          "the worker could not answer the policy question: " + rootMessage(e));
    }
  }

  private static String rootMessage(Throwable e) {
    Throwable t = e;
    while (t.getCause() != null) {
      t = t.getCause();
    }
    return t.getMessage();
  }
}
