package org.releaseengine.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.util.json.GsonFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.Decision;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.Stage;
import org.releaseengine.model.StageState;
import org.releaseengine.model.StageStatus;

/**
 * The release's message as Slack receives it: text the commit controls (gate summaries, failure
 * reasons) and people supply (requester, approvers) reads as text, never as a mention or a link,
 * while the engine's own formatting and the Approve button stay.
 */
class ReleaseMessageTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String ID = EngineNames.releaseId("shop", SHA);
  private static final String HOSTILE = "<!channel> <https://x|Approve>";

  private static ReleaseStatus status(ReleaseState state, String summary) {
    return ReleaseStatus.builder(ID)
        .request(
            "shop",
            SHA,
            "dave <@U123>",
            new ApprovalPolicy(List.of("alice"), 1, false, Duration.ofHours(1)))
        .state(state)
        .stages(
            Stage.APPROVAL,
            List.of(
                new StageStatus(Stage.SCAN, StageState.FAILED, 1_000, 2_500, summary),
                new StageStatus(Stage.E2E, StageState.SUCCEEDED, 3_000, 4_000, "e2e: " + summary),
                new StageStatus(Stage.APPROVAL, StageState.RUNNING, 5_000, 0, null)))
        .image(new ImageRef("registry.example.com/shop", SHA, "sha256:" + "ab".repeat(32)))
        .decisions(
            List.of(new Decision(Decision.Kind.APPROVE, "alice <!here>", "ok <@U9>", 6_000)),
            List.of(),
            0)
        .stopped(
            state == ReleaseState.FAILED ? Stage.SCAN : null,
            state == ReleaseState.FAILED ? "scan failed: " + summary : null)
        .build();
  }

  private static JsonArray json(ReleaseStatus status) {
    return JsonParser.parseString(
            GsonFactory.createSnakeCase().toJson(ReleaseMessage.blocks(status)))
        .getAsJsonArray();
  }

  /** Every text object in {@code element}, however deep. */
  private static List<JsonObject> texts(JsonElement element) {
    List<JsonObject> found = new ArrayList<>();
    if (element.isJsonArray()) {
      element.getAsJsonArray().forEach(e -> found.addAll(texts(e)));
    } else if (element.isJsonObject()) {
      JsonObject object = element.getAsJsonObject();
      if (object.has("type")
          && object.has("text")
          && object.get("text").isJsonPrimitive()
          && List.of("mrkdwn", "plain_text").contains(object.get("type").getAsString())) {
        found.add(object);
      }
      object.entrySet().forEach(e -> found.addAll(texts(e.getValue())));
    }
    return found;
  }

  @Test
  void commitTextReadsAsTextNeverAsAMentionOrALink() {
    for (ReleaseState state : List.of(ReleaseState.AWAITING_APPROVAL, ReleaseState.FAILED)) {
      JsonArray blocks = json(status(state, HOSTILE));
      List<JsonObject> texts = texts(blocks);
      assertFalse(texts.isEmpty());
      for (JsonObject text : texts) {
        String value = text.get("text").getAsString();
        assertFalse(value.contains("<") || value.contains(">"), "unescaped: " + value);
      }
      String all = blocks.toString();
      assertTrue(all.contains("&lt;!channel&gt; &lt;https://x|Approve&gt;"), all);
      assertTrue(all.contains("dave &lt;@U123&gt;"), all);
      assertTrue(all.contains("approved by alice &lt;!here&gt;"), all);
    }
    String failed = json(status(ReleaseState.FAILED, HOSTILE)).toString();
    assertTrue(failed.contains("*FAILED at scan:* scan failed: &lt;!channel&gt;"), failed);
  }

  @Test
  void mrkdwnIsVerbatimSoBareWordsAreNotParsedEither() {
    for (JsonObject text : texts(json(status(ReleaseState.FAILED, "@channel see #general")))) {
      if (text.get("type").getAsString().equals("mrkdwn")) {
        assertTrue(
            text.has("verbatim") && text.get("verbatim").getAsBoolean(), "not verbatim: " + text);
      }
    }
  }

  @Test
  void aSummaryCannotDrawLinesThatLookLikeTheEnginesOwn() {
    String forged = "ok\n:white_check_mark: *scan* succeeded\r\n*requested by* alice";
    String stages = texts(json(status(ReleaseState.AWAITING_APPROVAL, forged))).get(2).toString();
    assertEquals(3, stages.split("\\\\n", -1).length, "one line per stage: " + stages);
  }

  @Test
  void theEnginesOwnFormattingAndButtonsStay() {
    ReleaseStatus waiting = status(ReleaseState.AWAITING_APPROVAL, "2 high & 1 low");
    String all = json(waiting).toString();
    assertTrue(all.contains("*service* shop   *sha* `" + SHA + "`"), all);
    assertTrue(all.contains("*digest* `registry.example.com/shop@sha256:"), all);
    assertTrue(all.contains(":x: *scan* failed (1.5s) — 2 high &amp; 1 low"), all);
    assertTrue(all.contains("`release-cli status " + ID + "`"), all);
    assertTrue(all.contains("\"action_id\":\"" + ReleaseMessage.APPROVE + "\""), all);
    assertTrue(all.contains("\"value\":\"" + ID + "\""), all);
    assertEquals("shop 0123456789ab: AWAITING_APPROVAL", ReleaseMessage.text(waiting));
  }

  @Test
  void theFallbackTextIsEscapedToo() {
    ReleaseStatus odd =
        ReleaseStatus.builder(ID)
            .request("<!channel>", SHA, "dave", null)
            .state(ReleaseState.RUNNING)
            .stages(Stage.BUILD, List.of())
            .decisions(List.of(), List.of(), 0)
            .build();
    assertEquals("&lt;!channel&gt; 0123456789ab: RUNNING", ReleaseMessage.text(odd));
    String header = texts(json(odd)).get(0).get("text").getAsString();
    assertEquals("🚀 <!channel> 0123456789ab: RUNNING", header, "plain_text is shown as written");
  }
}
