package org.releaseengine.runtime;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.HostScript;
import org.releaseengine.ssh.HostShell;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * What runs a slot's container on one host: pull by digest, start, health, stop, inspect. Every
 * call is idempotent. A failure is a StepFailed naming the step and the host.
 */
public interface ContainerRuntime {

  /**
   * Builds a runtime for {@code target} on {@code host}, every value checked before any is sent.
   */
  interface Factory {
    ContainerRuntime on(SlotTarget target, HostShell host);
  }

  /**
   * Refuses (StepFailed.REFUSED) a mount the host would resolve elsewhere than its text says,
   * before anything changes; {@link #start} looks again.
   */
  void checkVolumes() throws IOException;

  /** Pulls the target's image by digest, with the launch's registry login when it has one. */
  void pull(ContainerLaunch launch) throws IOException;

  /**
   * Starts {@code slot} with the target's image unless it already runs exactly that launch. Once it
   * knows it must replace the slot's container it runs {@code guard}: a refusal there
   * (StepFailed.SERVING_EXIT) fails as StepFailed.SERVING and changes nothing.
   */
  void start(Slot slot, ContainerLaunch launch, HostScript guard) throws IOException;

  /** Asks the slot directly until it is healthy, for at most {@code budget}; else why not. */
  Optional<String> health(Slot slot, Duration budget) throws IOException;

  /** Whether the slot's container runs. */
  boolean running(Slot slot) throws IOException;

  /**
   * Stops and removes the slot's container, unless {@code guard} (null: none) refuses; {@code what}
   * names the step.
   */
  void stop(String what, Slot slot, HostScript guard) throws IOException;
}
