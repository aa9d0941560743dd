import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands where Slack's Web API would be for the demo (Slack is not reachable here): answers every
 * method as Slack does when it works, and appends each request's body, decoded, to a file, so that
 * the demo can show what the worker would have posted. Usage: java SlackStub.java PORT FILE
 */
public final class SlackStub {
  public static void main(String[] args) throws IOException {
    int port = Integer.parseInt(args[0]);
    Path messages = Path.of(args[1]);
    AtomicLong ts = new AtomicLong();
    HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 16);
    server.createContext(
        "/api/",
        exchange -> {
          String method = exchange.getRequestURI().getPath().substring(5);
          String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          String decoded =
              body.startsWith("{") ? body : URLDecoder.decode(body, StandardCharsets.UTF_8);
          Files.writeString(
              messages,
              method + " " + decoded + "\n",
              StandardOpenOption.CREATE,
              StandardOpenOption.APPEND);
          byte[] answer =
              ("{\"ok\":true,\"channel\":\"C0DEMO\",\"ts\":\"1700000000." + ts.incrementAndGet() + "\"}")
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().set("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    server.start();
    System.out.println("slack stub ready on 127.0.0.1:" + port);
  }
}
