package org.releaseengine.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** What a command's output may put into histories, status and Slack: capped and redacted. */
class OutputTailTest {

  private static final String TOKEN = "xoxb-1234567890-secret";

  @Test
  void keepsTheLastLinesAndCutsLongOnes() {
    OutputTail tail = new OutputTail(2);
    tail.add("one\ntwo\n" + "x".repeat(10_000) + "\nfour");
    // the last two whole lines, and the one still being written
    assertEquals(
        List.of("two", "x".repeat(OutputTail.MAX_LINE) + OutputTail.CUT, "four"),
        tail.toString().lines().toList());
  }

  @Test
  void aLineWithoutEndCostsBoundedMemory() {
    OutputTail tail = new OutputTail(40);
    for (int i = 0; i < 1000; i++) {
      tail.add("y".repeat(1000));
    }
    assertEquals(OutputTail.MAX_LINE + OutputTail.CUT.length(), tail.last().length());
    assertEquals(tail.last(), tail.toString());
  }

  @Test
  void secretsAreMaskedBeforeALineIsCutSoNoPartOfOneIsKept() {
    OutputTail tail = new OutputTail(40, SecretRedactor.of(List.of(TOKEN)));
    String prefix = "z".repeat(OutputTail.MAX_LINE - 5);
    tail.add("token=" + TOKEN + " twice " + TOKEN + "\n");
    tail.add(prefix + TOKEN + "\n");
    tail.add("split " + TOKEN.substring(0, 7));
    tail.add(TOKEN.substring(7) + " across writes\n");
    String text = tail.toString();
    assertFalse(text.contains("xoxb-"), text);
    assertFalse(text.contains("secret"), text);
    List<String> lines = text.lines().toList();
    assertEquals("token=[redacted] twice [redacted]", lines.get(0));
    assertTrue(lines.get(1).startsWith(prefix + "[red"), lines.get(1));
    assertEquals("split [redacted] across writes", lines.get(2));
  }

  @Test
  void shortOrBlankValuesAreNotSecretsToMask() {
    SecretRedactor redactor = SecretRedactor.of(java.util.Arrays.asList("", null, "abc", TOKEN));
    assertEquals(1, redactor.size());
    assertEquals("abc [redacted]", redactor.apply("abc " + TOKEN));
  }
}
