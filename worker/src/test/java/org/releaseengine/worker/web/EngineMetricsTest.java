package org.releaseengine.worker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.dora.DoraFigures;
import org.releaseengine.model.Approval;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * {@code GET /metrics} carries the engine's own metrics (reported by the workflows through the
 * SDK's scope into the worker's registry) and the DORA gauges computed from the environments.
 */
class EngineMetricsTest {

  private static ReleaseState release(EngineTestEnvironment engine, String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    return engine.result(release).state();
  }

  @Test
  void theEnginesMetricsAndDoraFiguresAreScraped() throws Exception {
    try (WorkerMetrics metrics = new WorkerMetrics(Duration.ofMillis(50));
        EngineTestEnvironment engine = EngineTestEnvironment.withMetrics(metrics.temporalScope())) {
      assertEquals(ReleaseState.SUCCEEDED, release(engine, Specs.SHA_1));
      engine.stages.failing.add("verify");
      assertEquals(ReleaseState.ROLLED_BACK, release(engine, Specs.SHA_2));
      engine.rollback("shop", "production", Specs.SHA_2.substring(0, 7), "erin", "rb-1");
      engine.awaitOperation("shop", "production", "rb-1");
      Thread.sleep(300); // the scope reports every 50 ms

      Dashboard dashboard =
          new Dashboard(
              new InetSocketAddress("127.0.0.1", 0), engine.client, null, metrics::scrape);
      String text;
      try {
        HttpResponse<String> page =
            HttpClient.newHttpClient()
                .send(
                    HttpRequest.newBuilder(URI.create(dashboard.url() + "metrics")).build(),
                    HttpResponse.BodyHandlers.ofString());
        assertEquals(200, page.statusCode());
        text = page.body();
      } finally {
        dashboard.close();
      }

      assertSeries(
          text, "release_engine_releases_total", "service=\"shop\"", "state=\"SUCCEEDED\"");
      assertSeries(text, "release_engine_releases_total", "state=\"ROLLED_BACK\"");
      assertSeries(
          text,
          "release_engine_stage_duration_seconds_count",
          "stage=\"build\"",
          "state=\"SUCCEEDED\"");
      assertSeries(text, "release_engine_approval_wait_seconds_count", "outcome=\"approved\"");
      assertSeries(
          text,
          "release_engine_deploys_total",
          "environment=\"production\"",
          "state=\"SUCCEEDED\"");
      assertSeries(
          text,
          "release_engine_rollbacks_total",
          "trigger=\"automatic\"",
          "environment=\"production\"");
      assertSeries(text, "release_engine_rollbacks_total", "trigger=\"manual\"");
      // two production deploys went live, one was rolled back by its failed verification
      assertTrue(
          text.contains(
              "release_engine_dora_change_failure_rate{service=\"shop\",environment=\"production\"}"
                  + " 0.5"),
          text);
      assertTrue(
          text.contains(
              "release_engine_dora_deployment_frequency_per_day{service=\"shop\",environment=\"production\"}"),
          text);
      assertTrue(
          text.contains(
              "release_engine_dora_time_to_restore_seconds{service=\"shop\",environment=\"production\"}"),
          text);
    }
  }

  @Test
  void dorasGaugesLeaveOutFiguresWithNothingToMeasure() {
    String text =
        DoraGauges.render(
            List.of(new DoraFigures("shop", "staging", 1000, 0, 0.0, null, 0, 0, null, null, 0)));
    assertTrue(
        text.contains(
            "release_engine_dora_deployment_frequency_per_day{service=\"shop\",environment=\"staging\"}"
                + " 0.0\n"),
        text);
    assertTrue(text.contains("# TYPE release_engine_dora_lead_time_seconds gauge\n"), text);
    assertTrue(!text.contains("release_engine_dora_lead_time_seconds{"), text);
  }

  /** A series named {@code name} with every one of {@code labels} on one line. */
  private static void assertSeries(String text, String name, String... labels) {
    boolean found =
        text.lines()
            .filter(l -> l.startsWith(name + "{"))
            .anyMatch(l -> List.of(labels).stream().allMatch(l::contains));
    assertTrue(found, name + " with " + List.of(labels) + " in:\n" + grep(text));
  }

  private static String grep(String text) {
    Pattern engine = Pattern.compile("^release_engine_.*");
    return String.join("\n", text.lines().filter(l -> engine.matcher(l).matches()).toList());
  }
}
