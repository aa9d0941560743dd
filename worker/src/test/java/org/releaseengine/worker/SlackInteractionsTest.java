package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import org.junit.jupiter.api.Test;

/** The answer to a click is the clicker's alone, and its text reads as text. */
class SlackInteractionsTest {

  @Test
  void theAnswerIsEphemeralAndItsTextEscaped() {
    assertEquals(
        Map.of(
            "response_type",
            "ephemeral",
            "replace_original",
            false,
            "text",
            "cannot approve: &lt;https://x|approve here&gt; &amp; &lt;!channel&gt;"),
        SlackInteractions.answer("cannot approve: <https://x|approve here> & <!channel>"));
  }
}
