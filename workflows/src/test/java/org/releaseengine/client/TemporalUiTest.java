package org.releaseengine.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class TemporalUiTest {

  @Test
  void linksToTheRunsHistoryWithEachSegmentEncoded() {
    assertEquals(
        Optional.of(
            "http://127.0.0.1:8233/namespaces/team%20a/workflows/release%2Fshop%2Fabc/run-1/history"),
        new TemporalUi("127.0.0.1:8233").link("team a", "release/shop/abc", "run-1"));
  }

  @Test
  void keepsAGivenSchemeAndDropsATrailingSlash() {
    assertEquals(
        Optional.of("https://ui.example.com/namespaces/default/workflows/w/r/history"),
        new TemporalUi("https://ui.example.com/").link("default", "w", "r"));
  }

  @Test
  void noAddressNoLink() {
    assertEquals(Optional.empty(), new TemporalUi(null).link("default", "w", "r"));
    assertEquals(Optional.empty(), new TemporalUi(" ").link("default", "w", "r"));
  }
}
