package org.releaseengine.slack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** The engine's mrkdwn stays formatting; the values in it stay text. */
class MrkdwnTest {

  @Test
  void slacksThreeControlCharactersBecomeEntitiesAmpersandFirst() {
    assertEquals("&lt;!channel&gt; &amp; &amp;lt;", Mrkdwn.escape("<!channel> & &lt;"));
    assertEquals("it's \"fine\" *bold* _x_", Mrkdwn.escape("it's \"fine\" *bold* _x_"));
  }

  @Test
  void theTemplateKeepsItsFormattingAndLinksWhileValuesAreEscaped() {
    Mrkdwn line =
        Mrkdwn.of(
            "*{}* failed, see <https://dashboard.example.com/r/1|the dashboard>: {}",
            "scan",
            "<https://evil.example|Approve here> <@U123>");
    assertEquals(
        "*scan* failed, see <https://dashboard.example.com/r/1|the dashboard>:"
            + " &lt;https://evil.example|Approve here&gt; &lt;@U123&gt;",
        line.text());
    assertTrue(line.object().getVerbatim());
    assertEquals(line.text(), line.object().getText());
  }

  @Test
  void aValueStaysOnOneLineAndMayHoldBraces() {
    assertEquals("a: x y z {} | b", Mrkdwn.of("a: {} | {}", "x\ny\r\nz {}", "b").text());
    assertEquals("null", Mrkdwn.of("{}", (Object) null).text());
    assertEquals(
        "one\ntwo &amp;", Mrkdwn.lines(List.of(Mrkdwn.of("one"), Mrkdwn.of("two {}", "&"))).text());
  }

  @Test
  void valuesAndSlotsMustMatch() {
    assertThrows(IllegalArgumentException.class, () -> Mrkdwn.of("{} {}", "one"));
    assertThrows(IllegalArgumentException.class, () -> Mrkdwn.of("{}", "one", "two"));
  }
}
