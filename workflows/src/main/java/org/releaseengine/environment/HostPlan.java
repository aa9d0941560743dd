package org.releaseengine.environment;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.Slot;
import org.releaseengine.stage.HostTraffic;

/**
 * A deploy planned from what the hosts serve rather than from the record: on each host the new
 * version goes to the slot nginx does not serve, and a failure puts the host back on the slot it
 * served. Where host and record disagree, the plan acts on the host and says so in its notes.
 */
record HostPlan(
    Slot slot,
    Map<String, Slot> slots,
    Map<String, Slot> switchBack,
    Map<String, String> observed,
    List<String> notes) {

  /**
   * {@code recordedLive} is the slot the environment believes live (null before the first deploy).
   */
  static HostPlan of(List<HostTraffic> seen, Slot recordedLive) {
    Map<String, Slot> slots = new LinkedHashMap<>();
    Map<String, Slot> switchBack = new LinkedHashMap<>();
    Map<String, String> observed = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    Slot idleByRecord = recordedLive == null ? Slot.BLUE : recordedLive.other();
    for (HostTraffic host : seen) {
      observed.put(host.host(), host.describe());
      Slot serving = serving(host, recordedLive);
      if (serving != null) {
        switchBack.put(host.host(), serving);
        slots.put(host.host(), serving.other());
      } else {
        slots.put(host.host(), idleByRecord);
      }
      if (!host.known()) {
        notes.add(host.host() + " could not be read (" + host.problem() + "): state unknown");
      } else if (host.weighted()) {
        notes.add(
            host.host()
                + " was left weighted ("
                + host.describe()
                + "): settled on the "
                + serving.label()
                + " slot first");
      } else if (serving != recordedLive) {
        if (recordedLive != null) {
          observed.put(host.host(), Rollout.notTheLiveSlot(host.describe(), recordedLive));
        }
        notes.add(
            host.host()
                + " serves "
                + host.describe()
                + " but the record says "
                + (recordedLive == null ? "nothing" : recordedLive.label())
                + ": acting on what the host serves");
      }
    }
    Slot slot = slots.isEmpty() ? idleByRecord : slots.values().iterator().next();
    return new HostPlan(slot, slots, switchBack, observed, notes);
  }

  /** The slot that takes the host's traffic: its only one, or the recorded (else heavier) one. */
  private static Slot serving(HostTraffic host, Slot recordedLive) {
    if (!host.known()) {
      return recordedLive;
    }
    if (host.weighted()) {
      return host.weights().containsKey(recordedLive)
          ? recordedLive
          : host.weights().entrySet().stream()
              .max(Map.Entry.comparingByValue())
              .orElseThrow()
              .getKey();
    }
    return host.soleSlot();
  }
}
