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
 * /metrics (Prometheus text format), one real endpoint, /hello?name=NAME, /slow?ms=N (a slow
 * answer, for draining tests), and /config: what configuration the container was given (its
 * GREETING, whether its DEMO_SECRET is set and how long it is, never its value, and whether its
 * /data volume is there and how many starts it has seen). A build can be made to
 * misbehave on purpose through faults.properties (see that file).
 */
public final class HelloApp {

  private final String version;
  private final Faults faults;
  private final Metrics metrics = new Metrics();
  private final String config;

  private HelloApp(String version, Faults faults, String config) {
    this.version = version;
    this.faults = faults;
    this.config = config;
  }

  /**
   * The container's configuration as the app sees it. A secret is reported by its length only:
   * the app never shows a secret's value.
   */
  static String describeConfig(java.util.Map<String, String> env, Path data) {
    String secret = env.get("DEMO_SECRET");
    StringBuilder text = new StringBuilder();
    text.append("env GREETING: ").append(env.getOrDefault("GREETING", "(not set)")).append('\n');
    text.append("secret DEMO_SECRET: ")
        .append(secret == null ? "not set" : "set (" + secret.length() + " chars)")
        .append('\n');
    text.append("volume /data: ");
    if (!Files.isDirectory(data)) {
      text.append("not mounted\n");
      return text.toString();
    }
    try { // each start leaves a line: the count shows the volume outlives the containers
      Path starts = data.resolve("starts");
      Files.writeString(starts, "start\n", StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
      text.append("mounted (").append(Files.readAllLines(starts).size()).append(" starts)\n");
    } catch (IOException e) {
      text.append("mounted, not writable (").append(e.getMessage()).append(")\n");
    }
    return text.toString();
  }

  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(System.getenv().getOrDefault("PORT", "8080"));
    String version = System.getenv().getOrDefault("APP_REVISION", "unknown");
    HelloApp app = new HelloApp(version, Faults.load(Path.of("/app/faults.properties")),
        describeConfig(System.getenv(), Path.of("/data")));
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
        case "/config" -> reply(exchange, 200, config);
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
