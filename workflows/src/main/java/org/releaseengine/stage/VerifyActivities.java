package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.GateResult;

/** Checks a freshly deployed environment from outside (health through its public URL). */
@ActivityInterface
public interface VerifyActivities {

  record VerifyRequest(String service, String sha, String environment, EnvironmentSpec spec) {}

  GateResult verify(VerifyRequest request);
}
