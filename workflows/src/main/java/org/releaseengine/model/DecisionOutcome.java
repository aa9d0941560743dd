package org.releaseengine.model;

/**
 * What a release or environment answered to a signed decision: accepted (by whom, with which key)
 * or refused and why. Refusals are also recorded in the workflow's audit trail.
 */
public record DecisionOutcome(boolean accepted, String by, String key, String message) {

  public static DecisionOutcome accepted(String by, String key, String message) {
    return new DecisionOutcome(true, by, key, message);
  }

  public static DecisionOutcome refused(String by, String message) {
    return new DecisionOutcome(false, by, null, message);
  }
}
