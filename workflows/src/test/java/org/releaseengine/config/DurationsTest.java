package org.releaseengine.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DurationsTest {

  @Test
  void everyUnit() {
    assertEquals(Duration.ofMillis(500), Durations.parse("500ms"));
    assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
    assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
    assertEquals(Duration.ofHours(24), Durations.parse("24h"));
    assertEquals(Duration.ofDays(2), Durations.parse("2d"));
  }

  @Test
  void surroundingSpaceIsIgnoredAndZeroIsADuration() {
    assertEquals(Duration.ofMinutes(5), Durations.parse("  5m\n"));
    assertEquals(Duration.ZERO, Durations.parse("0s"));
  }

  @Test
  void nineDigitsAtMost() {
    assertEquals(Duration.ofMillis(999_999_999), Durations.parse("999999999ms"));
    assertEquals(Duration.ofDays(999_999_999), Durations.parse("999999999d"));
    assertNull(Durations.parse("1000000000ms"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        " ",
        "5",
        "m",
        "5 m",
        "-5m",
        "+5m",
        "1.5h",
        "5M",
        "5min",
        "5w",
        "5y",
        "PT5M",
        "5m5s",
        "1h30m",
        "５m",
        "5ｍ",
        "5m;rm -rf /"
      })
  void anythingElseIsNotADuration(String text) {
    assertNull(Durations.parse(text), text);
  }
}
