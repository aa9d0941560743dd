package org.releaseengine.process;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.function.UnaryOperator;

/**
 * Keeps the last lines of a command's output, for failure reasons a person can act on. Both the
 * number of lines and each line's length are capped, so a command that prints without end (or
 * without a newline) costs bounded memory and bounded text in histories and messages. Each line
 * passes through {@code filter} (the secret redactor for gate commands) before it is cut, so a
 * secret is never kept in part.
 */
public final class OutputTail {

  /** The longest line kept; longer lines end in {@link #CUT}. */
  public static final int MAX_LINE = 500;

  /** What a cut line ends with. */
  public static final String CUT = "…";

  /** Room past {@link #MAX_LINE} while a line is read, so the filter sees whole secrets. */
  private static final int SLACK = 4096;

  private final int lines;
  private final UnaryOperator<String> filter;
  private final Deque<String> tail = new ArrayDeque<>();
  private final StringBuilder partial = new StringBuilder();
  private boolean partialCut;

  public OutputTail(int lines) {
    this(lines, UnaryOperator.identity());
  }

  public OutputTail(int lines, UnaryOperator<String> filter) {
    this.lines = lines;
    this.filter = filter;
  }

  /** Adds text that may hold several lines, or end in the middle of one. */
  public synchronized void add(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\n') {
        push(finish(partial.toString(), partialCut));
        partial.setLength(0);
        partialCut = false;
      } else if (c != '\r') {
        if (partial.length() < MAX_LINE + SLACK) {
          partial.append(c);
        } else {
          partialCut = true;
        }
      }
    }
  }

  public synchronized String last() {
    return partial.length() > 0
        ? finish(partial.toString(), partialCut)
        : tail.isEmpty() ? "" : tail.peekLast();
  }

  @Override
  public synchronized String toString() {
    StringBuilder out = new StringBuilder();
    tail.forEach(l -> out.append(l).append('\n'));
    if (partial.length() > 0) {
      out.append(finish(partial.toString(), partialCut));
    }
    return out.toString();
  }

  private String finish(String line, boolean cut) {
    String filtered = filter.apply(line);
    return cut || filtered.length() > MAX_LINE
        ? filtered.substring(0, Math.min(MAX_LINE, filtered.length())) + CUT
        : filtered;
  }

  private void push(String line) {
    if (line.isBlank()) {
      return;
    }
    tail.addLast(line);
    while (tail.size() > lines) {
      tail.removeFirst();
    }
  }
}
