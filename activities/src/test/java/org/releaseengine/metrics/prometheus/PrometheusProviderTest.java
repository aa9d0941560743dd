package org.releaseengine.metrics.prometheus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.metrics.MetricsActivity;
import org.releaseengine.providers.Providers;

/** Prometheus' instant queries through the metrics activity, against a stand-in Prometheus. */
class PrometheusProviderTest {

  private HttpServer prometheus;
  private final List<String> queries = new ArrayList<>();
  private volatile int status = 200;
  private volatile String body;

  @BeforeEach
  void start() throws IOException {
    prometheus = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    prometheus.createContext(
        "/api/v1/query",
        exchange -> {
          String query = exchange.getRequestURI().getRawQuery().substring("query=".length());
          queries.add(URLDecoder.decode(query, StandardCharsets.UTF_8));
          byte[] answer = body.getBytes(StandardCharsets.UTF_8);
          exchange.sendResponseHeaders(status, answer.length);
          exchange.getResponseBody().write(answer);
          exchange.close();
        });
    prometheus.start();
  }

  @AfterEach
  void stop() {
    prometheus.stop(0);
  }

  private Double measure(String answer) {
    body = answer;
    String url = "http://127.0.0.1:" + prometheus.getAddress().getPort() + "/";
    return new MetricsActivity(Providers.standard()::metrics).measure(url, "sum(rate(x[1m]))");
  }

  @Test
  void aVectorOrAScalarIsItsValueAndNothingOrNaNIsNoData() {
    assertEquals(
        0.25,
        measure(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{},\"value\":[1700000000,\"0.25\"]}]}}"));
    assertEquals(List.of("sum(rate(x[1m]))"), queries);
    assertEquals(
        3.0,
        measure(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\","
                + "\"result\":[1700000000,\"3\"]}}"));
    assertNull(
        measure("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}"));
    assertNull(
        measure(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                + "\"result\":[{\"metric\":{},\"value\":[1700000000,\"NaN\"]}]}}"));
  }

  @Test
  void aRefusedQueryIsNotAskedAgain() {
    status = 400;
    ApplicationFailure refused =
        assertThrows(
            ApplicationFailure.class,
            () -> measure("{\"status\":\"error\",\"error\":\"parse error at char 5\"}"));
    assertTrue(refused.isNonRetryable());
    assertEquals(
        "Prometheus refused the query: parse error at char 5", refused.getOriginalMessage());
  }
}
