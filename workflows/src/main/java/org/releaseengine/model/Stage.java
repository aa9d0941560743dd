package org.releaseengine.model;

/**
 * The stages of a release, in the order they run. A release.yaml with the staging/production
 * mapping runs POLICY to VERIFY as listed; one with a list of environments runs POLICY, BUILD and
 * SCAN, then for each environment APPROVAL (where the policy asks), DEPLOY, E2E (where configured)
 * and VERIFY, each stage named with its environment.
 */
public enum Stage {
  POLICY("policy"),
  BUILD("build"),
  SCAN("scan"),
  DEPLOY_STAGING("deploy staging"),
  E2E("e2e"),
  APPROVAL("approval"),
  DEPLOY_PRODUCTION("deploy production"),
  VERIFY("verify"),
  DEPLOY("deploy");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }

  /** The stage's name for {@code environment} ("deploy production-eu"); null: the plain label. */
  public String label(String environment) {
    return environment == null ? label : label + " " + environment;
  }
}
