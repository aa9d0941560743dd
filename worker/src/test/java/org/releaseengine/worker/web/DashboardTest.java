package org.releaseengine.worker.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.client.WorkflowClient;
import io.temporal.serviceclient.WorkflowServiceStubs;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.environment.Operation;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.worker.web.EngineRecords.WeightPoint;

/** The dashboard's own rules: escaping, what it refuses before asking Temporal anything. */
class DashboardTest {

  @Test
  void escapesEveryMarkupCharacter() {
    assertEquals(
        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;",
        Html.escape("<script>alert('x')</script> & \"q\""));
    assertEquals(
        "<td>&lt;b&gt;</td><a href=\"release?id=a&amp;b\">&lt;i&gt;</a>",
        new Html().element("td", "<b>").link("release?id=a&b", "<i>").toString());
  }

  @Test
  void chartLabelsAreEscapedToo() {
    CanaryChart chart = new CanaryChart(List.of(new WeightPoint(1000, 10, "<step>")), List.of());
    String svg = chart.weight(List.of(new WeightPoint(1000, 10, "<step>")));
    assertTrue(svg.contains("&lt;step&gt;"), svg);
    assertFalse(svg.contains("<step>"), svg);
    String check =
        chart.check(
            "<x>",
            new MetricCheck("<x>", "q", null, 0.05, null, 3, 0, MetricCheck.NoData.IGNORE),
            List.of(new Measurement("<x>", 1000, 0.2, Measurement.Verdict.FAIL)));
    assertTrue(check.contains("class=\"limit\""), check);
    assertTrue(check.contains("fill=\"#cf222e\"><title>0.200 FAIL"), check);
    assertFalse(check.contains("<x>"), check);
  }

  @Test
  void namesAnAutomaticRollbackAsSuch() {
    assertEquals(
        "automatic rollback", DashboardPages.how(Operation.Kind.ROLLBACK, "release-engine (x)"));
    assertEquals("rollback", DashboardPages.how(Operation.Kind.ROLLBACK, "alice"));
    assertEquals("deploy", DashboardPages.how(Operation.Kind.DEPLOY, "release-engine"));
  }

  @Test
  void readsQueryParameters() {
    assertEquals("release/a/b", Dashboard.parameter("x=1&id=release%2Fa%2Fb", "id"));
    assertNull(Dashboard.parameter("idx=1", "id"));
    assertNull(Dashboard.parameter(null, "id"));
  }

  @Test
  void refusesWritesAndMalformedNamesBeforeAskingTemporal() throws Exception {
    // stubs that are never connected: none of these requests may reach Temporal
    WorkflowServiceStubs stubs =
        WorkflowServiceStubs.newServiceStubs(
            WorkflowServiceStubsOptions.newBuilder().setTarget("127.0.0.1:1").build());
    try (Dashboard dashboard =
        new Dashboard(
            new InetSocketAddress("127.0.0.1", 0), WorkflowClient.newInstance(stubs), null)) {
      HttpClient http = HttpClient.newHttpClient();
      String url = dashboard.url();
      assertEquals(
          405,
          http.send(
                  HttpRequest.newBuilder(URI.create(url))
                      .POST(HttpRequest.BodyPublishers.noBody())
                      .build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      HttpResponse<String> bad =
          http.send(
              HttpRequest.newBuilder(URI.create(url + "release?id=%3Cscript%3E")).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(400, bad.statusCode());
      assertEquals("malformed or missing parameter 'id'", bad.body());
      assertEquals(
          400,
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "service?name=Bad_Name")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
      assertEquals(
          404,
          http.send(
                  HttpRequest.newBuilder(URI.create(url + "nothing")).build(),
                  HttpResponse.BodyHandlers.ofString())
              .statusCode());
    } finally {
      stubs.shutdownNow();
    }
  }
}
