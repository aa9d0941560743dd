package org.releaseengine.worker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.uber.m3.tally.Scope;
import com.uber.m3.util.Duration;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The engine's timers, labelled by service, get a few buckets fitted to what they time; the SDK's
 * own timers keep their percentile histogram.
 */
class WorkerMetricsTest {

  private static final Pattern BUCKET = Pattern.compile(".*le=\"([^\"]+)\".*} (\\S+)$");

  @Test
  void theEnginesTimersHaveBucketsOfMinutesAndHoursOnly() throws Exception {
    try (WorkerMetrics metrics = new WorkerMetrics(java.time.Duration.ofMillis(20))) {
      Scope scope = metrics.temporalScope();
      scope
          .tagged(Map.of("service", "shop", "stage", "deploy production", "state", "SUCCEEDED"))
          .timer("release_engine_stage_duration")
          .record(Duration.ofSeconds(90));
      scope
          .tagged(Map.of("service", "shop", "outcome", "approved"))
          .timer("release_engine_approval_wait")
          .record(Duration.ofSeconds(2 * 3600));
      scope.timer("temporal_workflow_task_execution_latency").record(Duration.ofMillis(3));
      String text = scrapeOnceReported(metrics);

      Map<Double, Double> stage = buckets(text, "release_engine_stage_duration_seconds_bucket");
      assertEquals(11, stage.size(), stage.toString()); // ten bounds and +Inf
      assertEquals(0.0, stage.get(60.0));
      assertEquals(1.0, stage.get(120.0));
      assertEquals(1.0, stage.get(3600.0));
      Map<Double, Double> approval = buckets(text, "release_engine_approval_wait_seconds_bucket");
      assertEquals(9, approval.size(), approval.toString());
      assertEquals(0.0, approval.get(3600.0));
      assertEquals(1.0, approval.get(4 * 3600.0));
      // the SDK's timers, without a service label, keep Micrometer's percentile histogram
      Map<Double, Double> sdk =
          buckets(text, "temporal_workflow_task_execution_latency_seconds_bucket");
      assertTrue(sdk.size() > 60, sdk.toString());
    }
  }

  /** A scrape once the scope has reported the timers recorded before it into the registry. */
  private static String scrapeOnceReported(WorkerMetrics metrics) throws InterruptedException {
    for (int i = 0; i < 250; i++) {
      String text = metrics.scrape();
      if (text.contains("release_engine_approval_wait_seconds_count")
          && text.contains("temporal_workflow_task_execution_latency_seconds_count")) {
        return text;
      }
      Thread.sleep(20);
    }
    throw new AssertionError("the scope never reported:\n" + metrics.scrape());
  }

  /** A histogram's cumulative counts by upper bound (+Inf as infinity). */
  private static Map<Double, Double> buckets(String text, String name) {
    Map<Double, Double> counts = new TreeMap<>();
    for (String line : text.lines().filter(l -> l.startsWith(name + "{")).toList()) {
      Matcher m = BUCKET.matcher(line);
      assertTrue(m.matches(), line);
      double bound =
          m.group(1).equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(m.group(1));
      counts.put(bound, Double.parseDouble(m.group(2)));
    }
    return counts;
  }
}
