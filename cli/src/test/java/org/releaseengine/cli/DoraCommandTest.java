package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.releaseengine.dora.DoraFigures;

/** {@code release-cli dora}: its period, and the lines it prints. */
class DoraCommandTest {

  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  private int run(String... args) {
    return ReleaseCli.execute(args, new PrintWriter(out, true), new PrintWriter(err, true));
  }

  @Test
  void aBadSinceIsOneLineNamingIt() {
    // refused before Temporal is asked anything
    for (String bad : List.of("30", "thirty days", "0d", "30y")) {
      out.getBuffer().setLength(0);
      err.getBuffer().setLength(0);
      int code = run("dora", "--service", "shop", "--since", bad);
      assertEquals(CliException.BAD_INPUT, code, err.toString());
      String message = err.toString().strip();
      assertEquals(1, message.lines().count(), message);
      assertTrue(message.contains("--since: '" + bad + "'"), message);
      assertEquals("", out.toString());
    }
  }

  @Test
  void periodsReadAsDurations() {
    assertEquals(Duration.ofDays(30), DoraCommand.period("30d"));
    assertEquals(Duration.ofHours(12), DoraCommand.period("12h"));
    assertEquals(Duration.ofMinutes(90), DoraCommand.period("90m"));
  }

  @Test
  void theLinesNameEachFigure() {
    DoraFigures f =
        new DoraFigures(
            "shop",
            "production",
            Duration.ofDays(2).toMillis(),
            4,
            2.0,
            192_000L,
            4,
            1,
            0.25,
            41_000L,
            1);
    assertEquals(
        List.of(
            "shop production, last 2d:",
            "  deployment frequency 2.00/day (4 deploys in 2d)",
            "  lead time p50 3m12s (4 of 4 deploys with a commit time)",
            "  change failure rate 25% (1 of 4 rolled back within the window)",
            "  time to restore p50 41s (1 restore)"),
        DoraLines.of(f, "2d"));
  }

  @Test
  void figuresWithNothingToMeasureSaySo() {
    DoraFigures none = new DoraFigures("shop", "production", 1, 0, 0.0, null, 0, 0, null, null, 0);
    List<String> lines = DoraLines.of(none, "30d");
    assertTrue(lines.get(2).startsWith("  lead time - "), lines.toString());
    assertTrue(lines.get(3).startsWith("  change failure rate - "), lines.toString());
    assertTrue(lines.get(4).startsWith("  time to restore - "), lines.toString());
    assertEquals("2d3h", DoraLines.human(Duration.ofHours(51).toMillis()));
    assertEquals("1h5m", DoraLines.human(Duration.ofMinutes(65).toMillis()));
  }
}
