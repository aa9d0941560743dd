package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.SourceSpec;

/** Builds the image once for a sha and pushes it; a second call for the same sha builds nothing. */
@ActivityInterface
public interface BuildActivities {

  record BuildRequest(String service, String sha, SourceSpec source, ImageSpec image) {}

  ImageRef buildImage(BuildRequest request);
}
