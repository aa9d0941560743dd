package org.releaseengine.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;

/** Reads the findings out of one report format. */
public interface ReportParser {

  List<Finding> parse(JsonNode report) throws MalformedReport;

  static ReportParser forFormat(String format) {
    return switch (format) {
      case "sarif" -> new SarifParser();
      case "npm-audit" -> new NpmAuditParser();
      case "osv" -> new OsvParser();
      default ->
          throw new IllegalArgumentException(
              "unknown report format '" + format + "' (expected sarif, npm-audit or osv)");
    };
  }
}
