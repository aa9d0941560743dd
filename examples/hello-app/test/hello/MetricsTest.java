package hello;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class MetricsTest {

  @Test
  void countsRequestsByStatusInPrometheusFormat() {
    Metrics metrics = new Metrics();
    metrics.record(200, 2_000_000);
    metrics.record(200, 30_000_000);
    metrics.record(500, 1_000_000);
    String text = metrics.render();
    assertTrue(text.contains("http_requests_total{status=\"200\"} 2\n"), text);
    assertTrue(text.contains("http_requests_total{status=\"500\"} 1\n"), text);
    assertTrue(text.contains("http_request_duration_seconds_bucket{le=\"0.005\"} 2\n"), text);
    assertTrue(text.contains("http_request_duration_seconds_count 3\n"), text);
  }
}
