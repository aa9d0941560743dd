package org.releaseengine.policy;

import java.util.List;
import java.util.Map;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.ReleaseSpec;

/**
 * The environments a release walks, as release.yaml gives them (a list, or the staging/production
 * mapping), held to the ones the operator's policy gives its service and their order.
 */
final class EnvironmentWalk {

  private EnvironmentWalk() {}

  /**
   * Refuses a walk that is not the policy's: a list must name exactly the policy's environments in
   * its order (and no top-level e2e), the mapping fits only a staging/production policy and names
   * no environment the policy does not give.
   *
   * @throws PolicyRefusal naming the first field the policy does not allow
   */
  static void check(
      ReleaseSpec spec, OperatorPolicy.Service rules, Map<String, EnvironmentSpec> wanted) {
    String service = spec.service();
    if (spec.listed()) {
      checkWalk(service, rules, spec.walk().stream().map(EnvironmentStep::name).toList());
      if (spec.e2e() != null) {
        throw new PolicyRefusal(
            "e2e: with a list of environments, each environment names its own e2e");
      }
    } else {
      checkMapping(service, rules);
      for (String name : wanted.keySet()) {
        if (rules.environment(name) == null) {
          throw new PolicyRefusal(
              "environments." + name + ": the policy gives " + service + " no environment " + name);
        }
      }
    }
  }

  /**
   * The staging/production mapping walks staging, then production after its approval: it fits only
   * a policy of exactly that shape. Anything else the release.yaml must list.
   */
  private static void checkMapping(String service, OperatorPolicy.Service rules) {
    List<String> names =
        rules.environments().stream().map(OperatorPolicy.Environment::name).toList();
    boolean productionGatedOnly =
        rules.environments().stream()
            .allMatch(e -> (e.approval() != null) == ReleaseSpec.PRODUCTION.equals(e.name()));
    if (!names.equals(List.of(ReleaseSpec.STAGING, ReleaseSpec.PRODUCTION))
        || !productionGatedOnly) {
      throw new PolicyRefusal(
          "environments: release.yaml's staging/production mapping walks staging, then production"
              + " after its approval, but the policy gives "
              + service
              + " "
              + describe(rules)
              + "; list the environments as the policy does (docs/release-yaml.md)");
    }
  }

  /**
   * How release.yaml names {@code environment}'s field: {@code environments[2]} by its place in a
   * list (as the loader does), {@code environments.production} in the mapping.
   */
  static String field(ReleaseSpec spec, String environment) {
    if (spec.listed()) {
      List<EnvironmentStep> walk = spec.walk();
      for (int i = 0; i < walk.size(); i++) {
        if (walk.get(i).name().equals(environment)) {
          return "environments[" + i + "]";
        }
      }
    }
    return "environments." + environment;
  }

  /** A listed release walks exactly the policy's environments, in the policy's order. */
  private static void checkWalk(String service, OperatorPolicy.Service rules, List<String> names) {
    String order = describe(rules);
    for (int i = 0; i < names.size(); i++) {
      String name = names.get(i);
      if (rules.environment(name) == null) {
        throw new PolicyRefusal(
            "environments["
                + i
                + "].name: the policy gives "
                + service
                + " no environment "
                + name
                + " (it gives "
                + order
                + ")");
      }
      if (names.indexOf(name) != i) {
        throw new PolicyRefusal("environments[" + i + "].name: " + name + " is listed twice");
      }
    }
    for (OperatorPolicy.Environment allowed : rules.environments()) {
      if (!names.contains(allowed.name())) {
        throw new PolicyRefusal(
            "environments: "
                + allowed.name()
                + " is missing (the policy gives "
                + service
                + " "
                + order
                + ", in that order)");
      }
    }
    for (int i = 0; i < names.size(); i++) {
      String expected = rules.environments().get(i).name();
      if (!names.get(i).equals(expected)) {
        throw new PolicyRefusal(
            "environments["
                + i
                + "].name: "
                + names.get(i)
                + " is out of order: the policy walks "
                + service
                + "'s environments as "
                + order
                + ", so "
                + expected
                + " comes here");
      }
    }
  }

  /** "staging, production (approval)": the policy's environments of a service, in order. */
  private static String describe(OperatorPolicy.Service rules) {
    return String.join(
        ", ",
        rules.environments().stream()
            .map(e -> e.name() + (e.approval() == null ? "" : " (approval)"))
            .toList());
  }
}
