package org.releaseengine.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;
import org.releaseengine.stage.NotifyActivities.Notice;

/**
 * What the notifier sends Slack (a local stand-in for its Web API): the message and the thread
 * reply with the failure reason carry the commit's text escaped.
 */
class SlackNotifierTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String HOSTILE = "<!channel> <https://x|Approve>";

  private HttpServer slack;
  private final List<String> calls = new CopyOnWriteArrayList<>();

  @BeforeEach
  void start() throws IOException {
    slack = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 8);
    slack.createContext(
        "/api/",
        exchange -> {
          String body =
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
          // blocks are JSON in a form field: Gson writes & < > as \\u escapes
          calls.add(
              exchange.getRequestURI().getPath()
                  + " "
                  + URLDecoder.decode(body, StandardCharsets.UTF_8)
                      .replace("\\u0026", "&")
                      .replace("\\u003c", "<")
                      .replace("\\u003e", ">"));
          byte[] answer =
              "{\"ok\":true,\"channel\":\"C1\",\"ts\":\"1700000000.1\"}"
                  .getBytes(StandardCharsets.UTF_8);
          exchange.getResponseHeaders().add("Content-Type", "application/json");
          exchange.sendResponseHeaders(200, answer.length);
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer);
          }
        });
    slack.start();
  }

  @AfterEach
  void stop() {
    slack.stop(0);
  }

  @Test
  void theMessageAndTheThreadReplyCarryTheCommitsTextEscaped() {
    SlackNotifier notifier =
        new SlackNotifier(
            "xoxb-test", "#releases", "http://127.0.0.1:" + slack.getAddress().getPort() + "/api/");
    ReleaseStatus failed =
        ReleaseStatus.builder(EngineNames.releaseId("shop", SHA))
            .request("shop", SHA, "dave", null)
            .state(ReleaseState.FAILED)
            .stages(
                Stage.E2E,
                List.of(new StageStatus(Stage.E2E, StageState.FAILED, 1_000, 2_000, HOSTILE)))
            .stopped(Stage.E2E, "e2e failed: " + HOSTILE)
            .decisions(List.of(), List.of(), 0)
            .build();

    String ref = notifier.publish(new Notice(null, null, failed, "e2e failed: " + HOSTILE));

    assertEquals("C1|1700000000.1", ref);
    assertEquals(2, calls.size(), calls.toString());
    for (String call : calls) {
      assertFalse(call.contains("<!channel>") || call.contains("<https://x"), call);
      assertTrue(call.contains("&lt;!channel&gt; &lt;https://x|Approve&gt;"), call);
    }
    assertTrue(calls.get(1).contains("thread_ts=1700000000.1"), calls.get(1));
  }
}
