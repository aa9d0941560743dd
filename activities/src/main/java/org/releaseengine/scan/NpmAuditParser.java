package org.releaseengine.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.Severity;

/**
 * {@code npm audit --json} (report version 2): one finding per vulnerable package, named by its
 * first advisory (GHSA id from the advisory URL, else npm's source number), with npm's severity.
 */
public final class NpmAuditParser implements ReportParser {

  @Override
  public List<Finding> parse(JsonNode report) throws MalformedReport {
    JsonNode vulnerabilities = report.path("vulnerabilities");
    if (report.path("auditReportVersion").asInt(0) != 2 || !vulnerabilities.isObject()) {
      throw new MalformedReport(
          "npm audit JSON needs auditReportVersion 2 and a 'vulnerabilities' map");
    }
    List<Finding> findings = new ArrayList<>();
    for (Map.Entry<String, JsonNode> entry : iterable(vulnerabilities)) {
      JsonNode vulnerability = entry.getValue();
      Severity severity = Severity.parse(vulnerability.path("severity").asText(null));
      if (severity == null) {
        throw new MalformedReport("package " + entry.getKey() + " has no valid severity");
      }
      List<String> advisories = new ArrayList<>();
      String title = "";
      for (JsonNode via : vulnerability.path("via")) {
        if (via.isObject()) {
          String url = via.path("url").asText("");
          advisories.add(
              url.contains("/advisories/")
                  ? url.substring(url.lastIndexOf('/') + 1)
                  : "npm-" + via.path("source").asText("?"));
          title = title.isEmpty() ? via.path("title").asText("") : title;
        } else if (title.isEmpty()) {
          title = "via " + via.asText();
        }
      }
      String id = advisories.isEmpty() ? entry.getKey() : advisories.get(0);
      List<String> aliases =
          advisories.size() > 1 ? advisories.subList(1, advisories.size()) : List.of();
      findings.add(
          new Finding(
              id,
              List.copyOf(aliases),
              severity,
              entry.getKey() + " " + vulnerability.path("range").asText(""),
              title));
    }
    return findings;
  }

  private static Iterable<Map.Entry<String, JsonNode>> iterable(JsonNode object) {
    return object::fields;
  }
}
