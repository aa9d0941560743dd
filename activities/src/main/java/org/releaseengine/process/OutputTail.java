package org.releaseengine.process;

import java.util.ArrayDeque;
import java.util.Deque;

/** Keeps the last lines of a command's output, for failure reasons a person can act on. */
public final class OutputTail {

  private final int lines;
  private final Deque<String> tail = new ArrayDeque<>();
  private final StringBuilder partial = new StringBuilder();

  public OutputTail(int lines) {
    this.lines = lines;
  }

  /** Adds text that may hold several lines, or end in the middle of one. */
  public synchronized void add(String text) {
    for (char c : text.toCharArray()) {
      if (c == '\n') {
        push(partial.toString());
        partial.setLength(0);
      } else if (c != '\r') {
        partial.append(c);
      }
    }
  }

  public synchronized String last() {
    return partial.length() > 0 ? partial.toString() : tail.isEmpty() ? "" : tail.peekLast();
  }

  @Override
  public synchronized String toString() {
    StringBuilder out = new StringBuilder();
    tail.forEach(l -> out.append(l).append('\n'));
    return out.append(partial).toString();
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
