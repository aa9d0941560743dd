package org.releaseengine.policy;

import java.util.HashMap;
import java.util.Map;
import org.releaseengine.config.Fields;

/**
 * The names the engine gives what a service's environment runs on a host: {@code
 * <service>-<environment>-…} (its containers {@code -blue} and {@code -green}). Service and
 * environment names may hold '-', so two pairs can make the same name: {@code a}'s {@code b-c} and
 * {@code a-b}'s {@code c} are both {@code a-b-c}, and on one host each would inspect, replace and
 * stop the other's containers. The policy may not put two such pairs on one host.
 */
final class HostNames {

  /** Per host, each name and the pair that has it ("b-c of a"). */
  private final Map<String, Map<String, String>> taken = new HashMap<>();

  /**
   * Records that {@code service}'s {@code environment} runs on {@code host}; a problem with {@code
   * f}'s hosts when another pair there has the same name.
   */
  void claim(Fields f, String host, String service, String environment) {
    String name = service + "-" + environment;
    String pair = environment + " of " + service;
    String other = taken.computeIfAbsent(host, h -> new HashMap<>()).putIfAbsent(name, pair);
    if (other != null && !other.equals(pair)) {
      f.problem(
          "hosts",
          pair
              + " and "
              + other
              + " would both name their containers "
              + name
              + "-… on host "
              + host
              + "; rename a service or an environment");
    }
  }
}
