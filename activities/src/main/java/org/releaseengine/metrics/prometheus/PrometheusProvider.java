package org.releaseengine.metrics.prometheus;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.releaseengine.metrics.MetricProvider;
import org.releaseengine.stage.FailureTypes;

/**
 * Prometheus' HTTP API ({@code GET /api/v1/query}): an instant query's value. An empty vector, or a
 * NaN (a ratio over no traffic), is no data.
 */
public final class PrometheusProvider implements MetricProvider {

  /** Its name in the provider registry. */
  public static final String KIND = "prometheus";

  private static final ObjectMapper JSON = new ObjectMapper();
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(3)).build();

  @Override
  public Double measure(String prometheusUrl, String query) {
    URI uri =
        URI.create(
            prometheusUrl.replaceAll("/+$", "")
                + "/api/v1/query?query="
                + URLEncoder.encode(query, StandardCharsets.UTF_8));
    try {
      HttpResponse<String> response =
          http.send(
              HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build(),
              HttpResponse.BodyHandlers.ofString());
      JsonNode body = JSON.readTree(response.body());
      if (response.statusCode() != 200 || !"success".equals(body.path("status").asText())) {
        throw ApplicationFailure.newNonRetryableFailure(
            "Prometheus refused the query: " + body.path("error").asText(response.body()),
            FailureTypes.BAD_INPUT);
      }
      JsonNode data = body.path("data");
      JsonNode sample =
          switch (data.path("resultType").asText()) {
            case "vector" -> data.path("result").path(0).path("value");
            case "scalar" -> data.path("result");
            default -> null;
          };
      if (sample == null || sample.isMissingNode() || sample.size() < 2) {
        return null;
      }
      double value = Double.parseDouble(sample.get(1).asText());
      return Double.isNaN(value) ? null : value;
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "Prometheus at " + prometheusUrl + " did not answer: " + e.getMessage(),
          "MetricsUnavailable");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }
}
