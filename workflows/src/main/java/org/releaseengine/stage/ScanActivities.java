package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import java.util.List;
import org.releaseengine.model.GateResult;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.SourceSpec;

/** Runs the configured SAST/SCA scanners over the source at the sha and gates on their reports. */
@ActivityInterface
public interface ScanActivities {

  record ScanRequest(String service, String sha, SourceSpec source, List<ScannerSpec> scanners) {}

  GateResult scan(ScanRequest request);
}
