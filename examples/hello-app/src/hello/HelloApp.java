package hello;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.Executors;

/**
 * The example service the release engine ships: /healthz, /version (the sha it was built from),
 * /metrics (Prometheus text format), one real endpoint, /hello?name=NAME, and /slow?ms=N (a slow
 * answer, for draining tests). A build can be made to
 * misbehave on purpose through faults.properties (see that file).
 */
public final class HelloApp {

  private final String version;
  private final Faults faults;
  private final Metrics metrics = new Metrics();

  private HelloApp(String version, Faults faults) {
    this.version = version;
    this.faults = faults;
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    String version = System.getenv().getOrDefault("APP_REVISION", "unknown");
    HelloApp app = new HelloApp(version, Faults.load(Path.of("/app/faults.properties")));
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 256);
    server.createContext("/", app::handle);
    server.setExecutor(Executors.newFixedThreadPool(8));
    server.start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> server.stop(1)));
    System.out.println("hello-app " + version + " listening on 127.0.0.1:" + port + " " + app.faults);
  }

  private void handle(HttpExchange exchange) throws IOException {
    long start = System.nanoTime();
    String path = exchange.getRequestURI().getPath();
    int status;
    try (exchange) {
      drain(exchange.getRequestBody());
      status = switch (path) {
        case "/healthz" -> faults.healthy() ? reply(exchange, 200, "ok\n") : reply(exchange, 503, "unhealthy\n");
        case "/version" -> reply(exchange, 200, (faults.versionOverride != null ? faults.versionOverride : version) + "\n");
        case "/metrics" -> reply(exchange, 200, metrics.render());
        case "/", "/hello" -> hello(exchange);
        case "/slow" -> slow(exchange);
        default -> reply(exchange, 404, "not found\n");
      };
    }
    if (!path.equals("/metrics")) {
      metrics.record(status, System.nanoTime() - start);
    }
  }

  private int hello(HttpExchange exchange) throws IOException {
    if (faults.failsThisRequest()) {
      return reply(exchange, 500, "{\"error\":\"injected failure\"}\n");
    }
    String name = query(exchange.getRequestURI().getRawQuery(), "name", "world");
    String json = "{\"greeting\":\"hello, " + name.replaceAll("[^A-Za-z0-9 _.-]", "") + "\",\"version\":\""
        + version + "\"}\n";
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    return reply(exchange, 200, json);
  }

  /**
   * Answers after {@code ms} milliseconds (at most a minute), the body trickling out in ten parts:
   * a request that keeps an nginx worker busy, so that a switch has something to drain.
   */
  private int slow(HttpExchange exchange) throws IOException {
    long ms = Math.min(60_000, Math.max(0, Long.parseLong(
        query(exchange.getRequestURI().getRawQuery(), "ms", "1000").replaceAll("[^0-9]", "0"))));
    byte[] part = ("slow " + version + "\n").getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(200, (long) part.length * 10);
    try (OutputStream out = exchange.getResponseBody()) {
      for (int i = 0; i < 10; i++) {
        Thread.sleep(ms / 10);
        out.write(part);
        out.flush();
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return 200;
  }

  private static String query(String raw, String key, String fallback) {
    if (raw == null) {
      return fallback;
    }
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2 && kv[0].equals(key)) {
        return URLDecoder.decode(kv[1], StandardCharsets.UTF_8);
      }
    }
    return fallback;
  }

  private static int reply(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
    return status;
  }

  private static void drain(InputStream in) throws IOException {
    in.transferTo(OutputStream.nullOutputStream());
  }

  /** Misbehaviour baked into a build on purpose, for tests and demos. */
  static final class Faults {
    final boolean unhealthy;
    final double errorRate;
    final String versionOverride;
    final long startDelayMs;
    private final long startedAtMs = System.currentTimeMillis();
    private long requests;

    private Faults(boolean unhealthy, double errorRate, String versionOverride, long startDelayMs) {
      this.unhealthy = unhealthy;
      this.errorRate = errorRate;
      this.versionOverride = versionOverride;
      this.startDelayMs = startDelayMs;
    }

    /** Healthy unless broken on purpose or still within its slow start. */
    boolean healthy() {
      return !unhealthy && System.currentTimeMillis() - startedAtMs >= startDelayMs;
    }

    static Faults load(Path file) throws IOException {
      Properties p = new Properties();
      if (Files.exists(file)) {
        try (InputStream in = Files.newInputStream(file)) {
          p.load(in);
        }
      }
      String override = p.getProperty("version", "").trim();
      return new Faults(Boolean.parseBoolean(p.getProperty("unhealthy", "false").trim()),
          Double.parseDouble(p.getProperty("error_rate", "0").trim()), override.isEmpty() ? null : override,
          (long) (Double.parseDouble(p.getProperty("start_delay_s", "0").trim()) * 1000));
    }

    /** Every n-th request fails, so that a rate of 0.2 is exactly one in five. */
    synchronized boolean failsThisRequest() {
      requests++;
      return errorRate > 0 && (requests % Math.max(1, Math.round(1 / errorRate))) == 0;
    }

    @Override
    public String toString() {
      return "(faults: unhealthy=" + unhealthy + " error_rate=" + errorRate + " start_delay_ms=" + startDelayMs
          + (versionOverride == null ? "" : " version=" + versionOverride) + ")";
    }
  }
}
