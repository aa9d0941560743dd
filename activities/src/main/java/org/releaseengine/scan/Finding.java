package org.releaseengine.scan;

import java.util.List;
import org.releaseengine.model.Severity;

/** One finding of a scanner: rule or advisory id (and aliases), severity, where, and what. */
public record Finding(
    String id, List<String> aliases, Severity severity, String location, String message) {

  public boolean matches(String allowlistedId) {
    return id.equals(allowlistedId) || aliases.contains(allowlistedId);
  }
}
