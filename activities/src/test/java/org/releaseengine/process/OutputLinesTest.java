package org.releaseengine.process;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class OutputLinesTest {

  private static final String OUTPUT = "\n  \nfirst\r\nsecond\n\n third \n   \n";

  @Test
  void blankLinesNeverCount() {
    assertEquals(List.of("first", "second", " third "), OutputLines.of(OUTPUT));
    assertEquals(Optional.of("first"), OutputLines.first(OUTPUT));
    assertEquals(Optional.of(" third "), OutputLines.last(OUTPUT));
    assertEquals(List.of("second", " third "), OutputLines.last(OUTPUT, 2));
    assertEquals(List.of("first", "second", " third "), OutputLines.last(OUTPUT, 10));
  }

  @Test
  void nothingToPick() {
    assertEquals(List.of(), OutputLines.of(null));
    assertEquals(Optional.empty(), OutputLines.first(" \n\n"));
    assertEquals(Optional.empty(), OutputLines.last(""));
    assertEquals(List.of(), OutputLines.last(null, 3));
  }
}
