package org.releaseengine.interleave;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Which activity attempts a worker has begun and which still run, so that the scheduler can tell an
 * attempt on its way to a worker (wait for it) from one whose worker died (only time ends it).
 */
final class ActivityTracker extends WorkerInterceptorBase {

  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final Set<String> running = ConcurrentHashMap.newKeySet();

  static String key(String workflowId, String activityId, int attempt) {
    return workflowId + "|" + activityId + "|" + attempt;
  }

  static String key(ActivityInfo info) {
    return key(info.getWorkflowId(), info.getActivityId(), info.getAttempt());
  }

  void clear() {
    seen.clear();
    running.clear();
  }

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      private String key;

      @Override
      public void init(ActivityExecutionContext context) {
        key = key(context.getInfo());
        super.init(context);
      }

      @Override
      public ActivityOutput execute(ActivityInput input) {
        seen.add(key);
        running.add(key);
        try {
          return super.execute(input);
        } finally {
          running.remove(key);
        }
      }
    };
  }
}
