package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.ImageRef;

/** Asks the registry about images that were pushed earlier (before a rollback redeploys one). */
@ActivityInterface
public interface RegistryActivities {

  boolean imageExists(ImageRef image);
}
