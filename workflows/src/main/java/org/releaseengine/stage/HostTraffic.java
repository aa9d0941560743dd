package org.releaseengine.stage;

import java.util.Map;
import org.releaseengine.model.Slot;

/**
 * What one host's nginx sends a service's traffic to, as read on the host: each slot with its
 * weight (one slot at 100 after a blue-green switch, two during a canary, none before the first
 * deploy), or why the host could not be read ({@code problem}: its state is unknown).
 */
public record HostTraffic(String host, Map<Slot, Integer> weights, String problem) {

  public boolean known() {
    return problem == null;
  }

  /** The one slot that takes every request, or null (nothing yet, weighted, or unknown). */
  public Slot soleSlot() {
    return known() && weights.size() == 1 ? weights.keySet().iterator().next() : null;
  }

  public boolean weighted() {
    return known() && weights.size() > 1;
  }

  /** As people read it: "blue", "blue 90% green 10%", "nothing" or "unknown (why)". */
  public String describe() {
    if (!known()) {
      return "unknown (" + problem + ")";
    }
    if (weights.isEmpty()) {
      return "nothing";
    }
    if (weights.size() == 1) {
      return soleSlot().label();
    }
    StringBuilder text = new StringBuilder();
    weights.forEach(
        (slot, weight) ->
            text.append(text.length() == 0 ? "" : " ")
                .append(slot.label())
                .append(' ')
                .append(weight)
                .append('%'));
    return text.toString();
  }
}
