package org.releaseengine.model;

/** The stages of a release, in the order they run. */
public enum Stage {
  POLICY("policy"),
  BUILD("build"),
  SCAN("scan"),
  DEPLOY_STAGING("deploy staging"),
  E2E("e2e"),
  APPROVAL("approval"),
  DEPLOY_PRODUCTION("deploy production"),
  VERIFY("verify");

  private final String label;

  Stage(String label) {
    this.label = label;
  }

  public String label() {
    return label;
  }
}
