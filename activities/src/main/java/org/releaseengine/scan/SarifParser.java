package org.releaseengine.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.model.Severity;

/**
 * SARIF 2.1.0 (CodeQL, Semgrep, PMD, SpotBugs…): every run's results, each rule found by id or by
 * index in the driver's or an extension's rules. Severity comes from the {@code security-severity}
 * property (result, then rule) where present, else from the level (result, then the rule's default
 * configuration, else SARIF's default "warning"). Suppressed results and kinds other than "fail"
 * are not findings.
 */
public final class SarifParser implements ReportParser {

  @Override
  public List<Finding> parse(JsonNode report) throws MalformedReport {
    if (!report.path("runs").isArray()) {
      throw new MalformedReport("SARIF without a 'runs' array");
    }
    List<Finding> findings = new ArrayList<>();
    for (JsonNode run : report.path("runs")) {
      JsonNode results = run.path("results");
      if (!results.isMissingNode() && !results.isArray()) {
        throw new MalformedReport("SARIF run whose 'results' is not an array");
      }
      for (JsonNode result : results) {
        if (!result.path("suppressions").isEmpty()
            || !"fail".equals(result.path("kind").asText("fail"))) {
          continue;
        }
        JsonNode rule = rule(run, result);
        String id =
            text(
                result,
                "ruleId",
                text(rule, "id", text(result.path("rule"), "id", "unknown-rule")));
        findings.add(
            new Finding(
                id,
                List.of(),
                severity(result, rule),
                location(result),
                result.path("message").path("text").asText("")));
      }
    }
    return findings;
  }

  private static JsonNode rule(JsonNode run, JsonNode result) {
    JsonNode reference = result.path("rule");
    int index = result.path("ruleIndex").asInt(reference.path("index").asInt(-1));
    JsonNode component = run.path("tool").path("driver");
    if (reference.has("toolComponent") && reference.path("toolComponent").has("index")) {
      component =
          run.path("tool")
              .path("extensions")
              .path(reference.path("toolComponent").path("index").asInt());
    }
    if (index >= 0 && component.path("rules").has(index)) {
      return component.path("rules").get(index);
    }
    String id = text(result, "ruleId", text(reference, "id", null));
    for (JsonNode candidate : component.path("rules")) {
      if (candidate.path("id").asText().equals(id)) {
        return candidate;
      }
    }
    return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
  }

  private static Severity severity(JsonNode result, JsonNode rule) throws MalformedReport {
    String score =
        text(
            result.path("properties"),
            "security-severity",
            text(rule.path("properties"), "security-severity", null));
    if (score != null) {
      try {
        return Severity.fromScore(Double.parseDouble(score));
      } catch (NumberFormatException e) {
        throw new MalformedReport("security-severity '" + score + "' is not a number");
      }
    }
    String level =
        text(result, "level", text(rule.path("defaultConfiguration"), "level", "warning"));
    Severity severity = Severity.parse(level);
    if (severity == null) {
      throw new MalformedReport("SARIF level '" + level + "' is not error, warning, note or none");
    }
    return severity;
  }

  private static String location(JsonNode result) {
    JsonNode physical = result.path("locations").path(0).path("physicalLocation");
    String uri = physical.path("artifactLocation").path("uri").asText("");
    int line = physical.path("region").path("startLine").asInt(0);
    return uri.isEmpty() ? "" : line > 0 ? uri + ":" + line : uri;
  }

  private static String text(JsonNode node, String field, String fallback) {
    JsonNode value = node.path(field);
    return value.isValueNode() && !value.isNull() ? value.asText() : fallback;
  }
}
