package org.releaseengine.admission;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Asks the worker's operator policy a question without starting anything: what {@code release-cli
 * validate --against-worker} and {@code start} ask before a release starts, and {@code rollback}
 * before it signals. The release and environment workflows ask again themselves.
 */
@WorkflowInterface
public interface PolicyCheckWorkflow {

  @WorkflowMethod
  PolicyAnswer check(PolicyQuestion question);
}
