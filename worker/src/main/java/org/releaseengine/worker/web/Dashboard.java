package org.releaseengine.worker.web;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import java.util.function.Supplier;
import org.releaseengine.EngineNames;
import org.releaseengine.client.TemporalUi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The read-only release dashboard ({@code RELEASE_WEB_ADDRESS}): GET only, every page rendered from
 * the workflows' queries and visibility at the moment it is asked for; nothing is signalled.
 */
public final class Dashboard implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(Dashboard.class);

  private final HttpServer server;
  private final ExecutorService threads = Executors.newFixedThreadPool(2);
  private final DashboardPages pages;

  private final Supplier<String> metrics;

  /** {@code temporalUi}: where the Temporal Web UI runs (host:port or URL), or null. */
  public Dashboard(InetSocketAddress address, WorkflowClient client, String temporalUi)
      throws IOException {
    this(address, client, temporalUi, null);
  }

  /** The same, with {@code GET /metrics} answered by {@code metrics} (null: no such page). */
  public Dashboard(
      InetSocketAddress address, WorkflowClient client, String temporalUi, Supplier<String> metrics)
      throws IOException {
    EngineRecords records = new EngineRecords(client);
    DoraGauges dora = new DoraGauges(records);
    // the SDK's and the engine's metrics, then the DORA figures computed from the records
    this.metrics = metrics == null ? null : () -> metrics.get() + dora.scrape();
    this.pages = new DashboardPages(records, new TemporalUi(temporalUi));
    this.server = HttpServer.create(address, 32);
    server.createContext("/", this::handle);
    server.setExecutor(threads);
    server.start();
  }

  /** The address to open, as the worker prints it. */
  public String url() {
    InetSocketAddress bound = server.getAddress();
    String host = bound.getAddress().isAnyLocalAddress() ? "127.0.0.1" : bound.getHostString();
    return "http://" + host + ":" + bound.getPort() + "/";
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"GET".equals(exchange.getRequestMethod())
          && !"HEAD".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "text/plain", "read-only: GET only");
        return;
      }
      String path = exchange.getRequestURI().getPath();
      String query = exchange.getRequestURI().getRawQuery();
      try {
        switch (path) {
          case "/" -> reply(exchange, 200, "text/html", pages.overview());
          case "/metrics" -> {
            if (metrics == null) {
              reply(exchange, 404, "text/plain", "no metrics here");
            } else {
              reply(exchange, 200, "text/plain; version=0.0.4", metrics.get());
            }
          }
          case "/release" ->
              named(exchange, query, "id", EngineNames.RELEASE_ID::matcher, pages::release);
          case "/service" ->
              named(exchange, query, "name", EngineNames.NAME::matcher, pages::service);
          default -> reply(exchange, 404, "text/plain", "no such page");
        }
      } catch (RuntimeException e) {
        log.warn("dashboard page {} failed: {}", path, e.toString());
        reply(exchange, 503, "text/plain", "cannot read the engine now: " + e.getMessage());
      }
    }
  }

  /** A page about one named thing; a malformed name is refused before anything is asked. */
  private void named(
      HttpExchange exchange,
      String query,
      String parameter,
      Function<String, java.util.regex.Matcher> pattern,
      Function<String, String> page)
      throws IOException {
    String value = parameter(query, parameter);
    if (value == null || !pattern.apply(value).matches()) {
      reply(exchange, 400, "text/plain", "malformed or missing parameter '" + parameter + "'");
      return;
    }
    reply(exchange, 200, "text/html", page.apply(value));
  }

  static String parameter(String rawQuery, String name) {
    if (rawQuery == null) {
      return null;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      if (eq > 0 && pair.substring(0, eq).equals(name)) {
        return URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
      }
    }
    return null;
  }

  private static void reply(HttpExchange exchange, int code, String type, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", type + "; charset=utf-8");
    exchange.getResponseHeaders().set("Cache-Control", "no-store");
    exchange.getResponseHeaders().set("X-Content-Type-Options", "nosniff");
    exchange
        .getResponseHeaders()
        .set(
            "Content-Security-Policy",
            "default-src 'none'; style-src 'unsafe-inline'; img-src 'self'");
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(code, head ? -1 : bytes.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    threads.shutdownNow();
  }
}
