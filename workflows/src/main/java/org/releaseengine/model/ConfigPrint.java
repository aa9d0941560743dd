package org.releaseengine.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Keyed fingerprints (HMAC-SHA256 under the worker's key, truncated) of a deployed container's
 * configuration and of each of its secrets: they tell that something changed, never what a value
 * is. {@code secrets} may be null (none).
 */
public record ConfigPrint(String fingerprint, Map<String, String> secrets) {

  /** The secrets whose value differs from {@code before}'s, or that are new; in name order. */
  public List<String> changedSecretsSince(ConfigPrint before) {
    Map<String, String> now = secrets == null ? Map.of() : secrets;
    Map<String, String> then =
        before == null || before.secrets() == null ? Map.of() : before.secrets();
    return now.keySet().stream()
        .filter(name -> !Objects.equals(now.get(name), then.get(name)))
        .sorted()
        .toList();
  }
}
