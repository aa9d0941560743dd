package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Duration;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;

/**
 * A release asking its environment's workflow to deploy an image; answered by a signal back. With a
 * {@code lease}, the environment stays the release's after the deploy until it lets go or the lease
 * runs out (EnvironmentLease); null (older releases): no lease. {@code audit}: what the release
 * tells the audit trail (null from older releases). {@code admittedAtMs}: when the release was
 * admitted (its server time), so that the environment never lets an older release overwrite a newer
 * one (null from older releases, and left out of the JSON then). {@code allowOlder}: true when the
 * operator's policy, as the release recorded it at admission, lets a release admitted before the
 * live one's deploy to this environment ({@code allowOlderReleases}); null otherwise, and from
 * older releases (left out of the JSON then).
 */
public record DeployOrder(
    String orderId,
    String releaseWorkflowId,
    String service,
    String environment,
    EnvironmentSpec spec,
    ImageRef image,
    String requester,
    Duration lease,
    ReleaseAudit audit,
    @JsonInclude(JsonInclude.Include.NON_NULL) Long admittedAtMs,
    @JsonInclude(JsonInclude.Include.NON_NULL) Boolean allowOlder) {

  public DeployOrder(
      String orderId,
      String releaseWorkflowId,
      String service,
      String environment,
      EnvironmentSpec spec,
      ImageRef image,
      String requester,
      Duration lease,
      ReleaseAudit audit,
      Long admittedAtMs) {
    this(
        orderId,
        releaseWorkflowId,
        service,
        environment,
        spec,
        image,
        requester,
        lease,
        audit,
        admittedAtMs,
        null);
  }

  public DeployOrder(
      String orderId,
      String releaseWorkflowId,
      String service,
      String environment,
      EnvironmentSpec spec,
      ImageRef image,
      String requester,
      Duration lease,
      ReleaseAudit audit) {
    this(
        orderId,
        releaseWorkflowId,
        service,
        environment,
        spec,
        image,
        requester,
        lease,
        audit,
        (Long) null);
  }

  public DeployOrder(
      String orderId,
      String releaseWorkflowId,
      String service,
      String environment,
      EnvironmentSpec spec,
      ImageRef image,
      String requester,
      Duration lease) {
    this(orderId, releaseWorkflowId, service, environment, spec, image, requester, lease, null);
  }

  public DeployOrder(
      String orderId,
      String releaseWorkflowId,
      String service,
      String environment,
      EnvironmentSpec spec,
      ImageRef image,
      String requester) {
    this(orderId, releaseWorkflowId, service, environment, spec, image, requester, null, null);
  }

  /** Whether the policy lets this order deploy over a release admitted after its own. */
  public boolean olderAllowed() {
    return Boolean.TRUE.equals(allowOlder);
  }
}
