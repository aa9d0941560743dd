package org.releaseengine.worker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.it.Infra;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * The local Prometheus (scripts/infra.sh) scrapes a worker's {@code /metrics} on the default
 * dashboard address, 127.0.0.1:7280: after a release, its engine series and DORA gauges are in
 * Prometheus, read back through Prometheus's query API.
 */
class PrometheusScrapeIT {

  private static final Duration PATIENCE = Duration.ofSeconds(30);
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void prometheusScrapesTheEnginesSeries() throws Exception {
    String prometheus = Infra.env("RELEASE_PROMETHEUS");
    try (WorkerMetrics metrics = new WorkerMetrics(Duration.ofMillis(100));
        EngineTestEnvironment engine = EngineTestEnvironment.withMetrics(metrics.temporalScope());
        Dashboard dashboard =
            new Dashboard(
                new InetSocketAddress("127.0.0.1", 7280), engine.client, null, metrics::scrape)) {
      ReleaseWorkflow release =
          engine.start(Specs.request(Specs.spec("scraped"), Specs.SHA_1, "dave"));
      engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      release.approve(new Approval("bob", null));
      assertEquals(ReleaseState.SUCCEEDED, engine.result(release).state());

      String released =
          awaitSeries(
              prometheus,
              "release_engine_releases_total{job=\"release-engine\",service=\"scraped\"}");
      assertTrue(released.contains("\"state\":\"SUCCEEDED\""), released);
      String dora =
          awaitSeries(
              prometheus,
              "release_engine_dora_deployment_frequency_per_day{service=\"scraped\","
                  + "environment=\"production\"}");
      assertTrue(dora.contains("\"job\":\"release-engine\""), dora);
    }
  }

  /** Prometheus's answer once the query has a series (it scrapes every second). */
  private String awaitSeries(String prometheus, String query) throws Exception {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer =
          http.send(
              HttpRequest.newBuilder(
                      URI.create(
                          prometheus
                              + "/api/v1/query?query="
                              + URLEncoder.encode(query, StandardCharsets.UTF_8)))
                  .build(),
              HttpResponse.BodyHandlers.ofString());
      body = answer.body();
      if (answer.statusCode() == 200 && body.contains("\"metric\"")) {
        return body;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(
        "Prometheus has no series for " + query + " within " + PATIENCE + ": " + body);
  }
}
