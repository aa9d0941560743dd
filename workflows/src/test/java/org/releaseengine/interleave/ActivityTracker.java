package org.releaseengine.interleave;

import io.temporal.activity.ActivityExecutionContext;
import io.temporal.activity.ActivityInfo;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Which activity attempts a worker has begun, which still run and when each failed, so that the
 * scheduler can tell an attempt on its way to a worker (wait for it) from one backing off before
 * its retry or whose worker died (only time ends those).
 */
final class ActivityTracker extends WorkerInterceptorBase {

  final Set<String> seen = ConcurrentHashMap.newKeySet();
  final Set<String> running = ConcurrentHashMap.newKeySet();

  /** When (the test server's time) each failed attempt failed. */
  final Map<String, Long> failedAt = new ConcurrentHashMap<>();

  private final LongSupplier clock;

  ActivityTracker(LongSupplier clock) {
    this.clock = clock;
  }

  static String key(String workflowId, String activityId, int attempt) {
    return workflowId + "|" + activityId + "|" + attempt;
  }

  static String key(ActivityInfo info) {
    return key(info.getWorkflowId(), info.getActivityId(), info.getAttempt());
  }

  void clear() {
    seen.clear();
    running.clear();
    failedAt.clear();
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
        } catch (RuntimeException failed) {
          failedAt.put(key, clock.getAsLong());
          throw failed;
        } finally {
          running.remove(key);
        }
      }
    };
  }
}
