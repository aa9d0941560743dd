package org.releaseengine.runtime.docker;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import org.releaseengine.model.Slot;
import org.releaseengine.runtime.ContainerLaunch;
import org.releaseengine.runtime.ContainerRuntime;
import org.releaseengine.ssh.HostScript;
import org.releaseengine.ssh.HostShell;
import org.releaseengine.ssh.SshConnections.Result;
import org.releaseengine.ssh.StepFailed;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/** Docker on the host, driven over SSH (the docker CLI against the host's Docker endpoint). */
public final class DockerRuntime implements ContainerRuntime {

  /** Its name in the provider registry. */
  public static final String KIND = "docker";

  private final SlotTarget target;
  private final HostShell host;
  private final DockerCommands commands;

  public DockerRuntime(SlotTarget target, HostShell host) {
    this.target = target;
    this.host = host;
    this.commands = new DockerCommands(target, host.config());
  }

  @Override
  public void checkVolumes() throws IOException {
    String check = commands.hostPaths();
    if (!check.isEmpty()) {
      String what = "look at the volumes' host paths";
      Result looked = host.run(what, check);
      refuseHostPath(looked);
      if (!looked.ok()) {
        throw host.failed(what, looked);
      }
    }
  }

  /** A host path the host refused: the volumePrefix is the policy's, so retrying cannot help. */
  private void refuseHostPath(Result result) {
    if (result.exitCode() == DockerCommands.HOST_PATH_EXIT) {
      throw new StepFailed(StepFailed.REFUSED, host.name() + ": " + result.reason());
    }
  }

  @Override
  public void pull(ContainerLaunch launch) throws IOException {
    String image = target.image().pinned();
    if (launch.registryConfig() == null) {
      host.step("pull " + image, commands.pull());
    } else {
      host.step(
          "pull " + image + " (with the registry login)",
          commands.pullWithLogin(),
          launch.registryConfig(),
          HostShell.STEP_TIMEOUT);
    }
  }

  @Override
  public void start(Slot slot, ContainerLaunch launch, HostScript guard) throws IOException {
    String what = "start the " + slot.label() + " slot";
    Result started =
        host.run(
            what,
            commands.start(slot, launch.print().fingerprint(), launch.envFile() != null, guard),
            launch.envFile(),
            HostShell.STEP_TIMEOUT);
    refuseHostPath(started);
    if (started.exitCode() == StepFailed.SERVING_EXIT) {
      throw new StepFailed(StepFailed.SERVING, started.reason() + " on " + host.name());
    }
    if (!started.ok()) {
      throw host.failed(what, started);
    }
  }

  @Override
  public Optional<String> health(Slot slot, Duration budget) throws IOException {
    Result health =
        host.run(
            "health-check the " + slot.label() + " slot",
            commands.health(slot, budget),
            null,
            HostShell.STEP_TIMEOUT.plus(budget));
    return health.ok() ? Optional.empty() : Optional.of(health.reason());
  }

  @Override
  public boolean running(Slot slot) throws IOException {
    return host.run("check the " + slot.label() + " slot", commands.running(slot)).ok();
  }

  @Override
  public void stop(String what, Slot slot, HostScript guard) throws IOException {
    host.step(what, commands.stop(slot, guard));
  }
}
