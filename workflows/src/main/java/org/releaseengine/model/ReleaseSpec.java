package org.releaseengine.model;

import java.util.List;
import java.util.Map;

/**
 * The validated contents of a service's release.yaml. It is the workflow input, so the history
 * shows exactly the configuration a release used. Fields that later features add are nullable.
 */
public record ReleaseSpec(
    String service,
    SourceSpec source,
    ImageSpec image,
    ApprovalPolicy approval,
    Map<String, EnvironmentSpec> environments,
    List<ScannerSpec> scanners,
    E2eSpec e2e,
    NotificationSpec notifications) {

  public static final String STAGING = "staging";
  public static final String PRODUCTION = "production";

  public EnvironmentSpec environment(String name) {
    return environments == null ? null : environments.get(name);
  }
}
