package org.releaseengine.spec;

import static org.releaseengine.spec.ReleaseSpecLoader.COMMAND;
import static org.releaseengine.spec.ReleaseSpecLoader.NAME;
import static org.releaseengine.spec.ReleaseSpecLoader.NETWORK;
import static org.releaseengine.spec.ReleaseSpecLoader.RELATIVE_PATH;

import java.time.Duration;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.releaseengine.GateNames;
import org.releaseengine.config.Fields;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.ScannerSpec.AllowlistEntry;
import org.releaseengine.model.ScannerSpec.FailOn;

/**
 * The gate commands of release.yaml, scanners and E2E suites: what each runs, in which image, with
 * which variables and reports.
 */
final class GateFields {

  private GateFields() {}

  static ScannerSpec scanner(Fields f, String defaultRunner) {
    f.allowOnly(
        Set.of(
            "name",
            "command",
            "report",
            "format",
            "failOn",
            "timeout",
            "allowlist",
            "runner",
            "env",
            "network"));
    String formatText = f.text("format", null, null, null);
    ReportFormat format = ReportFormat.parse(formatText);
    if (formatText != null && format == null) {
      f.problem("format", "unknown format '" + formatText + "' (expected sarif, npm-audit or osv)");
    }
    String failOnText = f.text("failOn", null, null, FailOn.HIGH.value());
    FailOn failOn = FailOn.parse(failOnText);
    if (failOn == null) {
      f.problem(
          "failOn",
          "unknown severity '"
              + failOnText
              + "' (expected one of critical, high, "
              + "moderate, medium, low, error, warning, note)");
    }
    List<AllowlistEntry> allowlist =
        f.objects("allowlist", false).stream().map(GateFields::allow).toList();
    return new ScannerSpec(
        f.text("name", NAME, "lowercase letters, digits and '-'", null),
        f.text("command", COMMAND, "a command on one line", null),
        f.text("report", RELATIVE_PATH, "a relative path inside the checkout", null),
        format,
        failOn,
        f.duration("timeout", Duration.ofMinutes(10)),
        allowlist,
        runner(f, defaultRunner, "the image the scanner runs in"),
        gateEnv(f),
        GateNetwork.parse(
            f.text(
                "network", NETWORK, "none (the default) or outbound", GateNetwork.NONE.value())));
  }

  /** The image a gate command runs in: its own {@code runner}, else the top-level one. */
  private static String runner(Fields f, String defaultRunner, String what) {
    if (f.has("runner")) {
      return runnerImage(f);
    }
    if (defaultRunner == null) {
      f.problem("runner", "required: " + what + " (or a top-level runner)");
    }
    return defaultRunner;
  }

  static String runnerImage(Fields f) {
    return f.text(
        "runner",
        GateNames.RUNNER_IMAGE,
        "an image such as 127.0.0.1:5000/team/runner:1 (lowercase repository, optional tag or digest)",
        null);
  }

  /** {@code env: {NAME: value}}: literal values, the only variables the container gets. */
  private static Map<String, String> gateEnv(Fields f) {
    Map<String, String> env =
        f.textMap(
            "env",
            GateNames.ENV_NAME,
            "a variable name (letters, digits and '_', not starting with a digit)",
            GateNames.ENV_VALUE,
            "a value on one line of at most 4096 characters");
    for (String name : env.keySet()) {
      if (GateNames.RESERVED.contains(name)) {
        f.problem("env." + name, "is set by the engine and may not be declared");
      }
    }
    return env.isEmpty() ? null : env;
  }

  private static AllowlistEntry allow(Fields f) {
    f.allowOnly(Set.of("id", "reason", "expires"));
    String expires = f.text("expires", null, null, null);
    if (expires != null) {
      try {
        LocalDate.parse(expires);
      } catch (DateTimeParseException e) {
        f.problem("expires", "must be a date such as 2027-01-31");
      }
    }
    return new AllowlistEntry(
        f.text("id", null, null, null), f.text("reason", null, null, null), expires);
  }

  static E2eSpec e2e(Fields f, String defaultRunner) {
    f.allowOnly(Set.of("command", "junitReports", "timeout", "runner", "env"));
    return new E2eSpec(
        f.text("command", COMMAND, "a command on one line", null),
        f.has("junitReports")
            ? f.text("junitReports", RELATIVE_PATH, "a relative path inside the checkout", null)
            : null,
        f.duration("timeout", Duration.ofMinutes(10)),
        runner(f, defaultRunner, "the image the E2E suite runs in"),
        gateEnv(f));
  }
}
