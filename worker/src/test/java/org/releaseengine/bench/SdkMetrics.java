package org.releaseengine.bench;

import java.util.Map;
import java.util.TreeMap;
import org.releaseengine.worker.web.WorkerMetrics;

/**
 * The Temporal SDK's metrics that say where a round's time went on the worker: workflow and
 * activity tasks' time in the queue, their execution, sticky-cache misses (full replays).
 */
final class SdkMetrics {

  /** Series summed over their labels, by name; timers as _count, _sum (seconds) and _max. */
  private static final String[] SHOWN = {
    "temporal_workflow_task_schedule_to_start_latency_seconds",
    "temporal_workflow_task_execution_latency_seconds",
    "temporal_workflow_task_replay_latency_seconds",
    "temporal_activity_schedule_to_start_latency_seconds",
    "temporal_activity_execution_latency_seconds",
    "temporal_sticky_cache_hit_total",
    "temporal_sticky_cache_miss_total",
    "temporal_sticky_cache_total_forced_eviction_total",
    "temporal_workflow_task_execution_failed_total",
    "temporal_workflow_task_queue_poll_succeed_total",
    "temporal_activity_poll_no_task_total",
    "temporal_workflow_task_queue_poll_empty_total",
  };

  private SdkMetrics() {}

  /** The shown series now (empty without metrics). */
  static Map<String, Double> read(WorkerMetrics metrics) throws InterruptedException {
    Map<String, Double> values = new TreeMap<>();
    if (metrics == null) {
      return values;
    }
    Thread.sleep(600); // one report of the SDK's scope into the registry
    for (String line : metrics.scrape().split("\n")) {
      if (line.startsWith("#")) {
        continue;
      }
      String name = line.replaceAll("[{ ].*", "");
      for (String shown : SHOWN) {
        if (name.startsWith(shown)) {
          double value = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          values.merge(name, value, name.endsWith("_max") ? Math::max : Double::sum);
        }
      }
    }
    return values;
  }

  /** What changed between two reads: counts, and timers' mean and max. */
  static void print(Map<String, Double> before, Map<String, Double> after) {
    for (String shown : SHOWN) {
      if (shown.endsWith("_seconds")) {
        double count = delta(before, after, shown + "_count");
        double sum = delta(before, after, shown + "_sum");
        if (count > 0) {
          System.out.printf(
              "  %s: %d, mean %.0f ms, max %.0f ms%n",
              shown.replace("temporal_", "").replace("_seconds", ""),
              (long) count,
              sum / count * 1000,
              after.getOrDefault(shown + "_max", 0.0) * 1000);
        }
      } else {
        double count = delta(before, after, shown);
        if (count > 0) {
          System.out.printf("  %s: %d%n", shown.replace("temporal_", ""), (long) count);
        }
      }
    }
  }

  private static double delta(Map<String, Double> before, Map<String, Double> after, String key) {
    return after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0);
  }
}
