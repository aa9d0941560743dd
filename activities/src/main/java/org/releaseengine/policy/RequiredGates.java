package org.releaseengine.policy;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.ScannerSpec.FailOn;

/**
 * The gates the operator requires of a service's releases ({@code require} in the policy): named
 * scanners with the loosest threshold they may have and whether an allowlist may waive their
 * findings, an E2E suite after the deploy of some environments, and a verification of others.
 * release.yaml writes the gates, but a commit that could drop or loosen them would choose its own
 * checks; so admission refuses one that does.
 */
public record RequiredGates(
    Map<String, Scanner> scanners, Set<String> e2e, Set<String> verification) {

  public static final RequiredGates NONE = new RequiredGates(Map.of(), Set.of(), Set.of());

  /** Why a requirement cannot be met by the mapping, which has no place for it. */
  private static final String MAPPING =
      " (the staging/production mapping runs e2e against staging and verifies production only:"
          + " list the environments)";

  /**
   * One required scanner: the loosest {@code failOn} release.yaml may give it (null: any) and
   * whether its {@code allowlist} may waive findings.
   */
  public record Scanner(FailOn failOn, boolean allowlist) {

    /** Both rules at once: the stricter threshold, and an allowlist only where both allow one. */
    Scanner and(Scanner other) {
      return new Scanner(stricter(failOn, other.failOn), allowlist && other.allowlist);
    }

    private static FailOn stricter(FailOn a, FailOn b) {
      if (a == null || b == null) {
        return a == null ? b : a;
      }
      return looser(a, b) ? b : a;
    }

    /**
     * Whether {@code threshold} lets through findings that {@code limit} fails on: a gate fails
     * from its failOn's severity up, so a higher one is looser (critical is looser than error).
     */
    static boolean looser(FailOn threshold, FailOn limit) {
      return threshold.severity().compareTo(limit.severity()) > 0;
    }
  }

  /** These requirements and {@code other}'s together (the policy's top level and a service's). */
  public RequiredGates and(RequiredGates other) {
    Map<String, Scanner> both = new LinkedHashMap<>(scanners);
    other.scanners.forEach((name, rule) -> both.merge(name, rule, Scanner::and));
    return new RequiredGates(both, union(e2e, other.e2e), union(verification, other.verification));
  }

  /** The same requirements for those of {@code environments} alone. */
  RequiredGates only(Set<String> environments) {
    Set<String> suites = new LinkedHashSet<>(e2e);
    suites.retainAll(environments);
    Set<String> verified = new LinkedHashSet<>(verification);
    verified.retainAll(environments);
    return new RequiredGates(scanners, suites, verified);
  }

  /**
   * Refuses {@code spec} if it misses or loosens a required gate.
   *
   * @throws PolicyRefusal naming release.yaml's field
   */
  void check(ReleaseSpec spec) {
    List<ScannerSpec> asked = spec.scanners() == null ? List.of() : spec.scanners();
    for (String name : scanners.keySet()) {
      if (asked.stream().noneMatch(s -> name.equals(s.name()))) {
        throw new PolicyRefusal("scanners: " + name + " is required by the policy");
      }
    }
    for (int i = 0; i < asked.size(); i++) {
      Scanner rule = scanners.get(asked.get(i).name());
      if (rule != null) {
        checkScanner("scanners[" + i + "]", asked.get(i), rule);
      }
    }
    for (EnvironmentStep step : spec.walk()) {
      String field = EnvironmentWalk.field(spec, step.name());
      if (e2e.contains(step.name()) && step.e2e() == null) {
        boolean unwritable = !spec.listed() && !ReleaseSpec.STAGING.equals(step.name());
        throw new PolicyRefusal(
            field + ".e2e: an E2E suite is required by the policy" + (unwritable ? MAPPING : ""));
      }
      if (verification.contains(step.name()) && !verified(step, spec.environment(step.name()))) {
        boolean unwritable = !spec.listed() && !step.verify();
        throw new PolicyRefusal(
            field + ".verification: required by the policy" + (unwritable ? MAPPING : ""));
      }
    }
  }

  private static void checkScanner(String field, ScannerSpec scanner, Scanner rule) {
    if (rule.failOn() != null && scanner.failOn() == null) {
      throw new PolicyRefusal(
          field
              + ".failOn: required by the policy ("
              + rule.failOn()
              + " or stricter for "
              + scanner.name()
              + ")");
    }
    if (rule.failOn() != null && Scanner.looser(scanner.failOn(), rule.failOn())) {
      throw new PolicyRefusal(
          field
              + ".failOn: "
              + scanner.failOn()
              + " is looser than the policy's "
              + rule.failOn()
              + " for "
              + scanner.name());
    }
    if (!rule.allowlist() && scanner.allowlist() != null && !scanner.allowlist().isEmpty()) {
      throw new PolicyRefusal(
          field
              + ".allowlist: the policy does not let "
              + scanner.name()
              + "'s findings be waived");
    }
  }

  /** Whether the release verifies {@code step} with at least one metric check. */
  private static boolean verified(EnvironmentStep step, EnvironmentSpec environment) {
    return step.verify()
        && environment != null
        && environment.verification() != null
        && environment.verification().checks() != null
        && !environment.verification().checks().isEmpty();
  }

  private static Set<String> union(Set<String> a, Set<String> b) {
    Set<String> both = new LinkedHashSet<>(a);
    both.addAll(b);
    return both;
  }
}
