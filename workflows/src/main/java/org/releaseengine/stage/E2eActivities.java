package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.SourceSpec;

/** Runs the E2E suite against an environment's public URL. */
@ActivityInterface
public interface E2eActivities {

  record E2eRequest(String service, String sha, SourceSpec source, E2eSpec e2e, String baseUrl) {}

  GateResult runSuite(E2eRequest request);
}
