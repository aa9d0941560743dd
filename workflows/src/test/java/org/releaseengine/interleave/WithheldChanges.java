package org.releaseengine.interleave;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowOutboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.util.Set;

/**
 * Runs the workflows as they were before some of their changes: {@code Workflow.getVersion} answers
 * DEFAULT_VERSION for each withheld change id (and records nothing), so the old path runs, as it
 * does for a history recorded before the change. The harness shows with it that it finds the
 * defects those changes fixed.
 */
final class WithheldChanges extends WorkerInterceptorBase {

  private final Set<String> withheld;

  WithheldChanges(Set<String> withheld) {
    this.withheld = Set.copyOf(withheld);
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void init(WorkflowOutboundCallsInterceptor outbound) {
        super.init(
            new WorkflowOutboundCallsInterceptorBase(outbound) {
              @Override
              public int getVersion(String changeId, int minSupported, int maxSupported) {
                return withheld.contains(changeId)
                    ? Workflow.DEFAULT_VERSION
                    : super.getVersion(changeId, minSupported, maxSupported);
              }
            });
      }
    };
  }
}
