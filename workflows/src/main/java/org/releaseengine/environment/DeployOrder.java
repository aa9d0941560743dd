package org.releaseengine.environment;

import java.time.Duration;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;

/**
 * A release asking its environment's workflow to deploy an image; answered by a signal back. With a
 * {@code lease}, the environment stays the release's after the deploy until it lets go or the lease
 * runs out (EnvironmentLease); null (older releases): no lease. {@code audit}: what the release
 * tells the audit trail (null from older releases).
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
    ReleaseAudit audit) {

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
}
