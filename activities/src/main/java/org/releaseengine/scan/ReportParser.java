package org.releaseengine.scan;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.releaseengine.model.ReportFormat;

/** Reads the findings out of one report format. */
public interface ReportParser {

  List<Finding> parse(JsonNode report) throws MalformedReport;

  static ReportParser forFormat(ReportFormat format) {
    if (format == null) {
      throw new IllegalArgumentException("no report format (expected sarif, npm-audit or osv)");
    }
    return switch (format) {
      case SARIF -> new SarifParser();
      case NPM_AUDIT -> new NpmAuditParser();
      case OSV -> new OsvParser();
    };
  }
}
