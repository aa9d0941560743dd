package org.releaseengine.policy;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.releaseengine.EngineNames;
import org.releaseengine.config.Fields;
import org.releaseengine.model.ScannerSpec.FailOn;

/** Reads a {@code require} mapping of the policy: the top level's, or a service's. */
final class RequireFields {

  private static final Pattern FAIL_ON =
      Pattern.compile(
          Arrays.stream(FailOn.values()).map(FailOn::value).collect(Collectors.joining("|")));

  private RequireFields() {}

  /**
   * The requirements in {@code f} (none when it is null). {@code environments} are the service's,
   * which a service's {@code e2e} and {@code verification} must name; null at the top level, which
   * applies to every service that has the environments it names.
   */
  static RequiredGates read(Fields f, String service, Set<String> environments) {
    if (f == null) {
      return RequiredGates.NONE;
    }
    f.allowOnly(Set.of("scanners", "e2e", "verification"));
    return new RequiredGates(
        scanners(f.object("scanners", false)),
        names(f, "e2e", service, environments),
        names(f, "verification", service, environments));
  }

  /** {@code {pmd: {failOn: error, allowlist: false}, osv: {}}}: each may be left empty. */
  private static Map<String, RequiredGates.Scanner> scanners(Fields f) {
    Map<String, RequiredGates.Scanner> scanners = new LinkedHashMap<>();
    if (f == null) {
      return scanners;
    }
    for (String name : f.keys()) {
      if (!EngineNames.NAME.matcher(name).matches()) {
        f.problem(name, "a scanner name is lowercase letters, digits and '-'");
        continue;
      }
      Fields rule = f.object(name, false);
      if (rule == null) {
        scanners.put(name, new RequiredGates.Scanner(null, true));
        continue;
      }
      rule.allowOnly(Set.of("failOn", "allowlist"));
      String failOn =
          rule.text(
              "failOn",
              FAIL_ON,
              "one of " + FAIL_ON.pattern().replace("|", ", ") + " (the loosest allowed)",
              "");
      scanners.put(
          name,
          new RequiredGates.Scanner(
              failOn.isEmpty() ? null : FailOn.parse(failOn), rule.bool("allowlist", true)));
    }
    return scanners;
  }

  private static Set<String> names(
      Fields f, String field, String service, Set<String> environments) {
    List<String> names = f.optionalTexts(field, EngineNames.NAME, "environment names");
    for (String name : names) {
      if (environments != null && !environments.contains(name)) {
        f.problem(field, name + " is not an environment of " + service);
      }
    }
    return new LinkedHashSet<>(names);
  }
}
