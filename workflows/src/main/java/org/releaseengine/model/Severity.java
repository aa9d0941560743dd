package org.releaseengine.model;

import java.util.Locale;

/**
 * One scale for every report format. SARIF levels map onto it (error = high, warning = medium, note
 * = low), npm's "moderate" is medium, and CVSS-style scores map by the usual bands.
 */
public enum Severity {
  INFO,
  LOW,
  MEDIUM,
  HIGH,
  CRITICAL;

  /** A severity or SARIF level name, or null when the name is not one. */
  public static Severity parse(String name) {
    if (name == null) {
      return null;
    }
    return switch (name.toLowerCase(Locale.ROOT)) {
      case "critical" -> CRITICAL;
      case "high", "error" -> HIGH;
      case "medium", "moderate", "warning" -> MEDIUM;
      case "low", "note" -> LOW;
      case "info", "none" -> INFO;
      default -> null;
    };
  }

  /** CVSS / security-severity score bands: 9.0 critical, 7.0 high, 4.0 medium, above 0 low. */
  public static Severity fromScore(double score) {
    if (score >= 9.0) {
      return CRITICAL;
    }
    if (score >= 7.0) {
      return HIGH;
    }
    if (score >= 4.0) {
      return MEDIUM;
    }
    return score > 0 ? LOW : INFO;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }
}
