package org.releaseengine.slack;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Stands where Slack's Web API would be (Slack is unreachable here): records every call the
 * official SDK makes and every response_url post, answering like Slack, or with an error, or not at
 * all. The one stand-in the tests (through the test jar), the demo and the benchmarks share: it
 * uses the JDK only, so that a script runs this very file, {@code java
 * activities/src/test/java/org/releaseengine/slack/SlackStub.java PORT FILE}, which serves on
 * 127.0.0.1:PORT and appends each call to FILE as a line of its own ({@link Call#toString}).
 */
public final class SlackStub implements AutoCloseable {

  public enum Mode {
    OK,
    ERROR,
    SILENT
  }

  /**
   * One recorded call: the API method (or "response") and its parameters, either the form fields
   * the SDK sends for most methods (decoded) or, for a JSON post, the JSON as sent.
   */
  public record Call(String method, Map<String, String> fields, String json) {

    /** The method, then the JSON or the decoded fields: what a search for a secret should see. */
    @Override
    public String toString() {
      String body =
          json != null
              ? json
              : fields.entrySet().stream()
                  .map(e -> e.getKey() + "=" + e.getValue())
                  .collect(Collectors.joining("&"));
      return method + " " + body;
    }
  }

  private static final Pattern TS = Pattern.compile("\"ts\"\\s*:\\s*\"([^\"]*)\"");

  public final List<Call> calls = new CopyOnWriteArrayList<>();
  public volatile Mode mode = Mode.OK;
  private final AtomicInteger ts = new AtomicInteger(100);
  private final HttpServer server;
  private final Path log;

  public SlackStub() throws IOException {
    this(0, null);
  }

  /** Serves on 127.0.0.1:{@code port} (0: any free one), appending each call to {@code log}. */
  public SlackStub(int port, Path log) throws IOException {
    this.log = log;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 64);
    server.createContext("/api/", this::api);
    server.createContext("/response/", this::response);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  /** Usage: java SlackStub.java PORT FILE. */
  public static void main(String[] args) throws IOException {
    SlackStub stub = new SlackStub(Integer.parseInt(args[0]), Path.of(args[1]));
    System.out.println("slack stub ready on 127.0.0.1:" + stub.server.getAddress().getPort());
  }

  public String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  public String responseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/response/hook";
  }

  public List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  private void api(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestURI().getPath().substring("/api/".length());
    Call call = record(method, exchange);
    if (mode == Mode.SILENT) {
      sleep(20_000);
    }
    String answer =
        mode == Mode.ERROR
            ? "{\"ok\":false,\"error\":\"invalid_auth\"}"
            : "{\"ok\":true,\"channel\":\"C0RELEASES\",\"ts\":\"" + timestamp(call) + "\"}";
    send(exchange, answer);
  }

  private void response(HttpExchange exchange) throws IOException {
    record("response", exchange);
    send(exchange, "ok");
  }

  private Call record(String method, HttpExchange exchange) throws IOException {
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    String type = exchange.getRequestHeaders().getFirst("Content-Type");
    boolean json = (type != null && type.startsWith("application/json")) || raw.startsWith("{");
    Call call = json ? new Call(method, Map.of(), raw) : new Call(method, form(raw), null);
    calls.add(call);
    if (log != null) {
      synchronized (this) {
        Files.writeString(log, call + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
      }
    }
    return call;
  }

  /** An update names the message it changes (its ts); a new message gets the next one. */
  private String timestamp(Call call) {
    String given = call.fields().get("ts");
    if (given == null && call.json() != null) {
      Matcher m = TS.matcher(call.json());
      given = m.find() ? m.group(1) : null;
    }
    return given != null ? given : "1700000000." + ts.incrementAndGet();
  }

  private static Map<String, String> form(String raw) {
    Map<String, String> fields = new LinkedHashMap<>();
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2) {
        fields.put(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    return fields;
  }

  private static void send(HttpExchange exchange, String json) throws IOException {
    byte[] bytes = json.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "application/json");
    exchange.sendResponseHeaders(200, bytes.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(bytes);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public void close() {
    server.stop(0);
  }
}
