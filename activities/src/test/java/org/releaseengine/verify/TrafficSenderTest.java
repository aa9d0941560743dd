package org.releaseengine.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.model.TrafficSpec;

/** The load is the spec's rate times its duration, spread over it, and every failure counted. */
class TrafficSenderTest {

  private HttpServer server;
  private final AtomicInteger served = new AtomicInteger();

  @BeforeEach
  void serve() throws Exception {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.createContext(
        "/hello",
        exchange -> {
          served.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    server.createContext(
        "/moved",
        exchange -> {
          exchange.getResponseHeaders().add("Location", "/hello");
          exchange.sendResponseHeaders(301, -1);
          exchange.close();
        });
    server.createContext(
        "/broken",
        exchange -> {
          exchange.sendResponseHeaders(503, -1);
          exchange.close();
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private String url() {
    return "http://127.0.0.1:" + server.getAddress().getPort() + "/";
  }

  @Test
  void sendsRateTimesDurationEvenlySpaced() {
    List<String> beats = new ArrayList<>();
    long start = System.nanoTime();
    TrafficCount count =
        new TrafficSender(null)
            .send(url(), new TrafficSpec("/hello", 20, Duration.ofSeconds(2)), beats::add);
    long tookMs = (System.nanoTime() - start) / 1_000_000;
    assertEquals(new TrafficCount(40, 0, null), count);
    assertEquals(40, served.get());
    assertTrue(tookMs >= 1900 && tookMs < 10_000, "spread over the duration: " + tookMs + " ms");
    assertTrue(beats.size() >= 2, "heartbeats: " + beats);
    assertEquals("traffic to " + url() + "hello: 40 sent, 0 failed", beats.get(beats.size() - 1));
  }

  @Test
  void errorsAndRefusedConnectionsFailRedirectsDoNot() {
    TrafficSender sender = new TrafficSender(null);
    TrafficSpec oneSecond = new TrafficSpec("/broken", 10, Duration.ofSeconds(1));
    assertEquals(new TrafficCount(10, 10, null), sender.send(url(), oneSecond, b -> {}));
    assertEquals(
        new TrafficCount(10, 0, null),
        sender.send(url(), new TrafficSpec("/moved", 10, Duration.ofSeconds(1)), b -> {}));
    String closed = url();
    server.stop(0);
    TrafficCount refused = sender.send(closed, oneSecond, b -> {});
    assertEquals(10, refused.sent());
    assertEquals(10, refused.failed());
    assertNull(refused.error());
  }
}
