package org.releaseengine.environment;

import io.temporal.activity.ActivityInterface;

/**
 * How a release hands work to its environment's workflow: signal-with-start, which a workflow
 * cannot do itself. Idempotent: the environment workflow ignores an order or request id it has
 * seen.
 */
@ActivityInterface
public interface EnvironmentGateway {

  void submitDeploy(DeployOrder order);

  void submitRollback(String service, String environment, RollbackRequest request);
}
