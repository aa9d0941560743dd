package org.releaseengine.model;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;
import java.util.Map;

/**
 * The validated contents of a service's release.yaml. It is the workflow input, so the history
 * shows exactly the configuration a release used. Fields that later features add are nullable.
 *
 * <p>{@code steps} (added later) lists the environments in the order the release walks them, with
 * what each adds around its deploy; null for a release.yaml with the {@code staging}/{@code
 * production} mapping, whose walk {@link #walk()} derives: staging with the top-level E2E, then
 * production with the top-level approval and the verification. With steps, {@code e2e} is null and
 * {@code approval} is the first approval on the way (what the status shows). Without steps the JSON
 * has no {@code steps} at all, so a mapping's spec (and the hash a signed start covers) keeps the
 * shape it had.
 */
public record ReleaseSpec(
    String service,
    SourceSpec source,
    ImageSpec image,
    ApprovalPolicy approval,
    Map<String, EnvironmentSpec> environments,
    List<ScannerSpec> scanners,
    E2eSpec e2e,
    NotificationSpec notifications,
    @JsonInclude(JsonInclude.Include.NON_NULL) List<EnvironmentStep> steps) {

  public static final String STAGING = "staging";
  public static final String PRODUCTION = "production";

  /** A release.yaml with the staging/production mapping. */
  public ReleaseSpec(
      String service,
      SourceSpec source,
      ImageSpec image,
      ApprovalPolicy approval,
      Map<String, EnvironmentSpec> environments,
      List<ScannerSpec> scanners,
      E2eSpec e2e,
      NotificationSpec notifications) {
    this(service, source, image, approval, environments, scanners, e2e, notifications, null);
  }

  public EnvironmentSpec environment(String name) {
    return environments == null ? null : environments.get(name);
  }

  /** Whether the environments came as a list (any names, any number) rather than the mapping. */
  public boolean listed() {
    return steps != null;
  }

  /** The environments in the order the release deploys them, with what each adds. */
  public List<EnvironmentStep> walk() {
    if (steps != null) {
      return steps;
    }
    return List.of(
        new EnvironmentStep(STAGING, null, e2e, false),
        new EnvironmentStep(PRODUCTION, approval, null, true));
  }

  /** The same release with {@code newSteps} (an admitted list); the mapping keeps null. */
  public ReleaseSpec withSteps(List<EnvironmentStep> newSteps) {
    return new ReleaseSpec(
        service, source, image, approval, environments, scanners, e2e, notifications, newSteps);
  }
}
