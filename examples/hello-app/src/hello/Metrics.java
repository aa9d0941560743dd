package hello;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;

/** A request counter by status and a latency histogram, in Prometheus' text format. */
final class Metrics {

  private static final double[] BUCKETS = {0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5};

  private final Map<Integer, LongAdder> byStatus = new java.util.concurrent.ConcurrentHashMap<>();
  private final AtomicLongArray bucketCounts = new AtomicLongArray(BUCKETS.length);
  private final LongAdder count = new LongAdder();
  private final LongAdder sumMicros = new LongAdder();

  void record(int status, long nanos) {
    byStatus.computeIfAbsent(status, s -> new LongAdder()).increment();
    double seconds = nanos / 1e9;
    for (int i = 0; i < BUCKETS.length; i++) {
      if (seconds <= BUCKETS[i]) {
        bucketCounts.incrementAndGet(i);
      }
    }
    count.increment();
    sumMicros.add(nanos / 1000);
  }

  String render() {
    StringBuilder out = new StringBuilder();
    out.append("# HELP http_requests_total Requests served, by status code.\n");
    out.append("# TYPE http_requests_total counter\n");
    new TreeMap<>(byStatus).forEach((status, n) ->
        out.append("http_requests_total{status=\"").append(status).append("\"} ").append(n.sum()).append('\n'));
    out.append("# HELP http_request_duration_seconds Time to answer a request.\n");
    out.append("# TYPE http_request_duration_seconds histogram\n");
    for (int i = 0; i < BUCKETS.length; i++) {
      out.append("http_request_duration_seconds_bucket{le=\"").append(BUCKETS[i]).append("\"} ")
          .append(bucketCounts.get(i)).append('\n');
    }
    out.append("http_request_duration_seconds_bucket{le=\"+Inf\"} ").append(count.sum()).append('\n');
    out.append("http_request_duration_seconds_sum ").append(sumMicros.sum() / 1e6).append('\n');
    out.append("http_request_duration_seconds_count ").append(count.sum()).append('\n');
    return out.toString();
  }
}
