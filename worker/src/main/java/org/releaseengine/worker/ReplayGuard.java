package org.releaseengine.worker;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Remembers request signatures for five minutes, so that a captured request cannot be sent again.
 */
final class ReplayGuard {

  private static final long WINDOW_MS = 5 * 60 * 1000;

  private final Map<String, Long> seen = new LinkedHashMap<>();

  /** True the first time a signature is seen within the window. */
  synchronized boolean firstTime(String signature, long nowMs) {
    for (Iterator<Long> it = seen.values().iterator(); it.hasNext(); ) {
      if (nowMs - it.next() > WINDOW_MS) {
        it.remove();
      } else {
        break; // insertion order: the rest are newer
      }
    }
    return seen.putIfAbsent(signature, nowMs) == null;
  }
}
