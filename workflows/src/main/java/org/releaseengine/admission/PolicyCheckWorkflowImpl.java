package org.releaseengine.admission;

import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.PolicyActivities;
import org.releaseengine.stage.PolicyActivities.AdmissionRequest;
import org.releaseengine.stage.StageOptions;

public class PolicyCheckWorkflowImpl implements PolicyCheckWorkflow {

  private final PolicyActivities policyGate =
      Workflow.newActivityStub(PolicyActivities.class, StageOptions.policy());

  @Override
  public PolicyAnswer check(PolicyQuestion question) {
    try {
      return switch (question.action()) {
        case START ->
            new PolicyAnswer(
                null,
                policyGate
                    .admit(
                        new AdmissionRequest(
                            question.spec(),
                            question.who(),
                            question.releaseId(),
                            question.signedStart()))
                    .policy());
        case ROLLBACK ->
            new PolicyAnswer(
                policyGate.rollbackRefusal(
                    question.service(), question.environment(), question.who()),
                null);
      };
    } catch (TemporalFailure failure) {
      if (!refused(failure)) {
        throw failure;
      }
      return new PolicyAnswer(Failures.describe(failure), null);
    }
  }

  private static boolean refused(Throwable failure) {
    for (Throwable t = failure; t != null; t = t.getCause()) {
      if (t instanceof ApplicationFailure app && FailureTypes.REFUSED.equals(app.getType())) {
        return true;
      }
    }
    return false;
  }
}
