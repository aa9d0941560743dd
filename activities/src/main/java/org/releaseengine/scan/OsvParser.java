package org.releaseengine.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.model.Severity;

/**
 * OSV-Scanner's JSON output: one finding per vulnerability of each package. Severity is the {@code
 * max_severity} score of the vulnerability's group where given, else the database's severity word;
 * a vulnerability with neither counts as high (a gate fails closed).
 */
public final class OsvParser implements ReportParser {

  @Override
  public List<Finding> parse(JsonNode report) throws MalformedReport {
    if (!report.path("results").isArray()) {
      throw new MalformedReport("OSV-Scanner JSON without a 'results' array");
    }
    List<Finding> findings = new ArrayList<>();
    for (JsonNode result : report.path("results")) {
      for (JsonNode pkg : result.path("packages")) {
        String where =
            pkg.path("package").path("name").asText("?")
                + "@"
                + pkg.path("package").path("version").asText("?")
                + " ("
                + result.path("source").path("path").asText("")
                + ")";
        for (JsonNode vulnerability : pkg.path("vulnerabilities")) {
          String id = vulnerability.path("id").asText(null);
          if (id == null) {
            throw new MalformedReport("an OSV vulnerability without an id in " + where);
          }
          List<String> aliases = new ArrayList<>();
          vulnerability.path("aliases").forEach(a -> aliases.add(a.asText()));
          findings.add(
              new Finding(
                  id,
                  aliases,
                  severity(pkg, vulnerability, id),
                  where,
                  vulnerability.path("summary").asText("")));
        }
      }
    }
    return findings;
  }

  private static Severity severity(JsonNode pkg, JsonNode vulnerability, String id) {
    for (JsonNode group : pkg.path("groups")) {
      for (JsonNode member : group.path("ids")) {
        if (member.asText().equals(id) && !group.path("max_severity").asText("").isEmpty()) {
          try {
            return Severity.fromScore(Double.parseDouble(group.path("max_severity").asText()));
          } catch (NumberFormatException ignored) {
            // fall back to the database's word
          }
        }
      }
    }
    Severity word =
        Severity.parse(vulnerability.path("database_specific").path("severity").asText(null));
    return word == null ? Severity.HIGH : word;
  }
}
