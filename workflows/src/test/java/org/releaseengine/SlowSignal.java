package org.releaseengine;

import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptor;
import io.temporal.common.interceptors.WorkflowInboundCallsInterceptorBase;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Predicate;

/**
 * Holds the workflow task that handles a matching signal open for a while (real time), so that what
 * happens meanwhile (a timer firing, other signals) arrives together in the next workflow task.
 */
public final class SlowSignal extends WorkerInterceptorBase {

  private final Predicate<WorkflowInboundCallsInterceptor.SignalInput> matches;
  private final Duration hold;

  public SlowSignal(Predicate<WorkflowInboundCallsInterceptor.SignalInput> matches, Duration hold) {
    this.matches = matches;
    this.hold = hold;
  }

  @Override
  public WorkflowInboundCallsInterceptor interceptWorkflow(WorkflowInboundCallsInterceptor next) {
    return new WorkflowInboundCallsInterceptorBase(next) {
      @Override
      public void handleSignal(SignalInput input) {
        super.handleSignal(input);
        if (!Workflow.isReplaying() && matches.test(input)) {
          EngineTestEnvironment.sleep(hold.toMillis());
        }
      }
    };
  }
}
