package org.releaseengine.process;

import java.util.List;
import java.util.Optional;

/** Picks the lines a person should read out of a command's output: blank lines never count. */
public final class OutputLines {

  private OutputLines() {}

  /** The non-blank lines of {@code text}, in order; none for null. */
  public static List<String> of(String text) {
    return text == null ? List.of() : text.lines().filter(l -> !l.isBlank()).toList();
  }

  /** The first non-blank line. */
  public static Optional<String> first(String text) {
    return of(text).stream().findFirst();
  }

  /** The last non-blank line. */
  public static Optional<String> last(String text) {
    List<String> lines = of(text);
    return lines.isEmpty() ? Optional.empty() : Optional.of(lines.get(lines.size() - 1));
  }

  /** The last {@code n} non-blank lines, in order. */
  public static List<String> last(String text, int n) {
    List<String> lines = of(text);
    return lines.subList(Math.max(0, lines.size() - n), lines.size());
  }
}
