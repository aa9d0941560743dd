package org.releaseengine.registry;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import org.releaseengine.model.ImageRef;
import org.releaseengine.stage.RegistryActivities;

/** Answers, before a rollback redeploys an old digest, whether the registry still has it. */
public class RegistryLookup implements RegistryActivities {

  private final RegistryClient registry = new RegistryClient();

  @Override
  public boolean imageExists(ImageRef image) {
    try {
      return registry.exists(image.repository(), image.digest());
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(e.getMessage(), "RegistryUnavailable");
    }
  }
}
