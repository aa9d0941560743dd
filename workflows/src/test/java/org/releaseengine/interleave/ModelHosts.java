package org.releaseengine.interleave;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * What the stand-in hosts run and serve, changed only by the stand-in activities: per host, the sha
 * each slot's container runs and nginx's weight on each slot. What no real host would survive (a
 * switch to a slot that runs nothing, a slot stopped while it takes requests, two changes to one
 * environment at once, a deploy during another release's E2E suite) is a violation; so is a switch
 * to a slot that runs another image than the switch was for, unless the environment ends by saying
 * it does not know what that host serves.
 */
final class ModelHosts {

  /** One host's containers and nginx. */
  static final class Host {
    final Map<Slot, String> running = new EnumMap<>(Slot.class);
    final Map<Slot, Integer> weights = new EnumMap<>(Slot.class);

    /** The sha every request reaches, or null (nothing served, or split between two slots). */
    String served() {
      if (weights.size() != 1) {
        return null;
      }
      return running.get(weights.keySet().iterator().next());
    }
  }

  private final Map<String, Host> hosts = new HashMap<>();

  /** Per environment, the activities changing it now (a retry of one replaces its attempt). */
  private final Map<String, java.util.Set<String>> changing = new HashMap<>();

  private final Map<String, String> suites = new HashMap<>();
  final List<String> violations = new ArrayList<>();

  synchronized void clear() {
    hosts.clear();
    changing.clear();
    suites.clear();
    violations.clear();
    misled.clear();
  }

  private static String key(SlotTarget target, String host) {
    return target.service() + "/" + target.environment() + "/" + host;
  }

  private static String environment(SlotTarget target) {
    return target.service() + "/" + target.environment();
  }

  synchronized Host host(String service, String environment, String host) {
    return hosts.computeIfAbsent(service + "/" + environment + "/" + host, k -> new Host());
  }

  private Host host(SlotTarget target, String name) {
    return hosts.computeIfAbsent(key(target, name), k -> new Host());
  }

  /** A change to the environment's hosts begins (a deploy or switch); one at a time. */
  synchronized void beginChange(SlotTarget target, String what, String activity) {
    String env = environment(target);
    java.util.Set<String> now = changing.computeIfAbsent(env, k -> new java.util.HashSet<>());
    now.add(activity);
    if (now.size() > 1) {
      violations.add(what + " of " + target.image().sha() + " ran beside another change of " + env);
    }
    String suite = suites.get(env);
    if (suite != null && !suite.equals(target.image().sha()) && what.equals("deploy")) {
      violations.add(
          "deploy of " + target.image().sha() + " to " + env + " during the E2E suite of " + suite);
    }
  }

  synchronized void endChange(SlotTarget target, String activity) {
    changing.getOrDefault(environment(target), new java.util.HashSet<>()).remove(activity);
  }

  synchronized void beginSuite(String environment, String sha) {
    if (!changing.getOrDefault(environment, java.util.Set.of()).isEmpty()) {
      violations.add("E2E suite of " + sha + " began while " + environment + " was changing");
    }
    suites.put(environment, sha);
  }

  synchronized void endSuite(String environment) {
    suites.remove(environment);
  }

  /** What happens on one host of a target: its spec, its model, and the target's slot there. */
  private interface HostStep {
    void on(HostSpec spec, Host host, Slot slot);
  }

  private void onEachHost(SlotTarget target, HostStep step) {
    target.spec().hosts().forEach(h -> step.on(h, host(target, h.name()), target.slotOn(h.name())));
  }

  /** Containers started on every host's target slot; nothing switched. */
  synchronized void start(SlotTarget target) {
    onEachHost(
        target,
        (h, host, slot) -> {
          if (host.weights.getOrDefault(slot, 0) > 0) {
            violations.add(
                "started "
                    + target.image().sha()
                    + " in the "
                    + slot.label()
                    + " slot of "
                    + key(target, h.name())
                    + ", which takes requests");
          }
          host.running.put(slot, target.image().sha());
        });
  }

  /**
   * Hosts switched to a slot that does not run the image the switch was for, and how: a violation
   * unless the environment ends by reporting the host unknown (it knows it cannot name what the
   * host serves), or a later switch puts the host right.
   */
  private final Map<String, String> misled = new HashMap<>();

  /** The misled hosts of {@code service/environment}: host name, and the switch that misled it. */
  synchronized Map<String, String> misled(String service, String environment) {
    Map<String, String> of = new HashMap<>();
    String prefix = service + "/" + environment + "/";
    misled.forEach(
        (key, how) -> {
          if (key.startsWith(prefix)) {
            of.put(key.substring(prefix.length()), how);
          }
        });
    return of;
  }

  /** Every request on each host to its target slot, which should run the target's image. */
  synchronized void switchTo(SlotTarget target) {
    onEachHost(
        target,
        (h, host, slot) -> {
          String runs = host.running.get(slot);
          misled.remove(key(target, h.name()));
          if (runs == null) {
            violations.add(
                "switched "
                    + key(target, h.name())
                    + " to the "
                    + slot.label()
                    + " slot, which runs nothing");
          } else if (!target.image().sha().equals(runs)) {
            misled.put(
                key(target, h.name()),
                "switched "
                    + key(target, h.name())
                    + " to the "
                    + slot.label()
                    + " slot for "
                    + target.image().sha()
                    + ", which runs "
                    + runs);
          }
          host.weights.clear();
          host.weights.put(slot, 100);
        });
  }

  /** The canary's share of requests; the other slot keeps the rest. */
  synchronized void weigh(SlotTarget canary, int percent) {
    onEachHost(
        canary,
        (h, host, slot) -> {
          Slot stable = slot.other();
          if (!canary.image().sha().equals(host.running.get(slot))) {
            violations.add(
                "weighted " + key(canary, h.name()) + " to a canary slot that does not run it");
          }
          host.weights.clear();
          host.weights.put(slot, percent);
          host.weights.put(stable, 100 - percent);
        });
  }

  /**
   * A host a canary left weighted goes to its stable slot alone before the target's slot is
   * replaced (BlueGreenHost.settle).
   */
  synchronized void settle(SlotTarget target) {
    onEachHost(
        target,
        (h, host, slot) -> {
          Slot back = target.switchBackOn(h.name());
          Slot stable = back == null ? slot.other() : back;
          if (host.weights.size() > 1 && stable != slot) {
            if (!host.running.containsKey(stable)) {
              violations.add(
                  "settled " + key(target, h.name()) + " on a stable slot that runs nothing");
            }
            host.weights.clear();
            host.weights.put(stable, 100);
          }
        });
  }

  /** Each host's target slot stopped; it must take no requests. */
  synchronized void retire(SlotTarget target) {
    onEachHost(
        target,
        (h, host, slot) -> {
          // a first deploy that failed after its switch has nothing to go back to
          if (host.weights.getOrDefault(slot, 0) > 0
              && host.running.containsKey(slot)
              && host.running.containsKey(slot.other())) {
            violations.add(
                "stopped the "
                    + slot.label()
                    + " slot of "
                    + key(target, h.name())
                    + " while it took requests");
          }
          host.running.remove(slot);
        });
  }

  synchronized Map<Slot, Integer> weights(SlotTarget target, String name) {
    Map<Slot, Integer> copy = new EnumMap<>(Slot.class);
    copy.putAll(host(target, name).weights);
    return copy;
  }
}
