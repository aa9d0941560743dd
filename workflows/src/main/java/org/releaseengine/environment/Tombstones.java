package org.releaseengine.environment;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/**
 * Order ids a release cancelled, kept (the newest {@link #KEEP}) across continue-as-new: a cancel
 * may reach the environment before the order it cancels, which must then never deploy.
 */
final class Tombstones {

  static final int KEEP = 200;

  private final LinkedHashSet<String> ids = new LinkedHashSet<>();

  void load(List<String> carried) {
    if (carried != null) {
      carried.forEach(this::add);
    }
  }

  void add(String orderId) {
    ids.remove(orderId);
    ids.add(orderId);
    while (ids.size() > KEEP) {
      ids.remove(ids.iterator().next()); // the oldest: its order is long gone
    }
  }

  boolean contains(String orderId) {
    return ids.contains(orderId);
  }

  List<String> ids() {
    return new ArrayList<>(ids);
  }
}
