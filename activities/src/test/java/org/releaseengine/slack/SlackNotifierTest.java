package org.releaseengine.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;
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

  private SlackStub slack;

  @BeforeEach
  void start() throws IOException {
    slack = new SlackStub();
  }

  @AfterEach
  void stop() {
    slack.close();
  }

  @Test
  void theMessageAndTheThreadReplyCarryTheCommitsTextEscaped() {
    SlackNotifier notifier = new SlackNotifier("xoxb-test", "#releases", slack.apiUrl());
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

    assertEquals("C0RELEASES|1700000000.101", ref);
    // blocks are JSON in a form field: Gson writes & < > as \\u escapes
    List<String> calls =
        slack.calls.stream()
            .map(
                c ->
                    c.toString()
                        .replace("\\u0026", "&")
                        .replace("\\u003c", "<")
                        .replace("\\u003e", ">"))
            .toList();
    assertEquals(2, calls.size(), calls.toString());
    for (String call : calls) {
      assertFalse(call.contains("<!channel>") || call.contains("<https://x"), call);
      assertTrue(call.contains("&lt;!channel&gt; &lt;https://x|Approve&gt;"), call);
    }
    assertEquals("1700000000.101", slack.calls.get(1).fields().get("thread_ts"), calls.get(1));
  }
}
