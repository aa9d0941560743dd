package org.releaseengine.worker;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Stands where Slack's Web API would be (Slack is unreachable here): records every call the
 * official SDK makes and every response_url post, answering like Slack, or with an error, or not at
 * all.
 */
final class SlackStub implements AutoCloseable {

  enum Mode {
    OK,
    ERROR,
    SILENT
  }

  /** One recorded call: the API method (or "response") and its parameters as JSON. */
  record Call(String method, JsonObject body) {}

  final List<Call> calls = new CopyOnWriteArrayList<>();
  volatile Mode mode = Mode.OK;
  private final AtomicInteger ts = new AtomicInteger(100);
  private final HttpServer server;

  SlackStub() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 64);
    server.createContext("/api/", this::api);
    server.createContext("/response/", this::response);
    server.setExecutor(Executors.newCachedThreadPool());
    server.start();
  }

  String apiUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/api/";
  }

  String responseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/response/hook";
  }

  List<Call> calls(String method) {
    return calls.stream().filter(c -> c.method().equals(method)).toList();
  }

  private void api(HttpExchange exchange) throws IOException {
    String method = exchange.getRequestURI().getPath().substring("/api/".length());
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    JsonObject body = parse(raw, exchange.getRequestHeaders().getFirst("Content-Type"));
    calls.add(new Call(method, body));
    if (mode == Mode.SILENT) {
      sleep(20_000);
    }
    String answer =
        mode == Mode.ERROR
            ? "{\"ok\":false,\"error\":\"invalid_auth\"}"
            : "{\"ok\":true,\"channel\":\"C0RELEASES\",\"ts\":\""
                + (body.has("ts")
                    ? body.get("ts").getAsString()
                    : "1700000000." + ts.incrementAndGet())
                + "\"}";
    send(exchange, answer);
  }

  private void response(HttpExchange exchange) throws IOException {
    String raw = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
    calls.add(new Call("response", JsonParser.parseString(raw).getAsJsonObject()));
    send(exchange, "ok");
  }

  /** The SDK sends form fields (blocks as a JSON string) or JSON, depending on the method. */
  private static JsonObject parse(String raw, String contentType) {
    if (contentType != null && contentType.startsWith("application/json")) {
      return JsonParser.parseString(raw).getAsJsonObject();
    }
    JsonObject body = new JsonObject();
    for (String pair : raw.split("&")) {
      String[] kv = pair.split("=", 2);
      if (kv.length == 2) {
        body.addProperty(
            URLDecoder.decode(kv[0], StandardCharsets.UTF_8),
            URLDecoder.decode(kv[1], StandardCharsets.UTF_8));
      }
    }
    return body;
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
