package org.releaseengine.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.registry.RegistryClient.RegistryRefused;

/**
 * The Bearer-token flow of the OCI distribution spec, against a stand-in that speaks it (no real
 * token issuer can be installed here): a 401 with {@code Bearer realm,service,scope}, the token
 * asked from the realm with the worker's login, the request again with the token, the token kept
 * until it expires.
 */
class BearerFlowTest {

  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String TOKEN = "token-for-team-app";

  private HttpServer server;
  private final List<String> tokenRequests = new CopyOnWriteArrayList<>();
  @TempDir Path dir;

  @BeforeEach
  void start() throws IOException {
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    int port = server.getAddress().getPort();
    server.createContext(
        "/v2/",
        exchange -> {
          if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            exchange
                .getResponseHeaders()
                .set(
                    "WWW-Authenticate",
                    "Bearer realm=\"http://127.0.0.1:"
                        + port
                        + "/token\",service=\"stand-in\",scope=\"repository:team/app:pull\"");
            send(exchange, 401, "");
            return;
          }
          exchange.getResponseHeaders().set("Docker-Content-Digest", DIGEST);
          send(exchange, 200, "");
        });
    server.createContext(
        "/token",
        exchange -> {
          tokenRequests.add(exchange.getRequestURI().getRawQuery());
          String basic = RegistryAccess.basic(new RegistryAccess.Login("ci", "right"));
          if (!("Basic " + basic).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
            send(exchange, 401, "{\"errors\":[{\"code\":\"UNAUTHORIZED\"}]}");
            return;
          }
          send(exchange, 200, "{\"token\":\"" + TOKEN + "\",\"expires_in\":300}");
        });
    server.start();
  }

  @AfterEach
  void stop() {
    server.stop(0);
  }

  private RegistryClient client(String password) throws IOException {
    Path auth = dir.resolve(password + ".json");
    Files.writeString(
        auth,
        "{\"auths\": {\"127.0.0.1:"
            + server.getAddress().getPort()
            + "\": {\"username\": \"ci\", \"password\": \""
            + password
            + "\"}}}");
    return new RegistryClient(
        RegistryAccess.fromEnvironment(Map.of("RELEASE_REGISTRY_AUTH", auth.toString())));
  }

  @Test
  void aTokenFromTheRealmWithTheLoginIsUsedUntilItExpires() throws Exception {
    RegistryClient client = client("right");
    String repository = "127.0.0.1:" + server.getAddress().getPort() + "/team/app";
    assertEquals(DIGEST, client.digestOf(repository, "1").orElseThrow());
    assertEquals(DIGEST, client.digestOf(repository, "2").orElseThrow());
    assertEquals(List.of("service=stand-in&scope=repository%3Ateam%2Fapp%3Apull"), tokenRequests);
  }

  @Test
  void aLoginTheTokenServiceRefusesIsNamedWithoutItsPassword() throws Exception {
    RegistryClient client = client("wrong");
    String repository = "127.0.0.1:" + server.getAddress().getPort() + "/team/app";
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> client.digestOf(repository, "1"));
    assertEquals(
        "token service 127.0.0.1:"
            + server.getAddress().getPort()
            + " refused the login of ci for repository:team/app:pull (401)",
        refused.getMessage());
    assertFalse(refused.getMessage().contains("wrong"));
  }

  private static void send(HttpExchange exchange, int status, String body) throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }
}
