package org.releaseengine.registry;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import org.releaseengine.model.ImageRef;
import org.releaseengine.registry.RegistryClient.RegistryRefused;
import org.releaseengine.stage.RegistryActivities;

/** Answers, before a rollback redeploys an old digest, whether the registry still has it. */
public class RegistryLookup implements RegistryActivities {

  private final RegistryClient registry;

  /** With the registry access of the worker's environment (RELEASE_REGISTRY_AUTH, _CA). */
  public RegistryLookup() {
    this(RegistryAccess.fromEnvironment(System.getenv()));
  }

  public RegistryLookup(RegistryAccess access) {
    this.registry = new RegistryClient(access);
  }

  @Override
  public boolean imageExists(ImageRef image) {
    try {
      return registry.exists(image.repository(), image.digest());
    } catch (RegistryRefused e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "RegistryRefused");
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(e.getMessage(), "RegistryUnavailable");
    }
  }
}
