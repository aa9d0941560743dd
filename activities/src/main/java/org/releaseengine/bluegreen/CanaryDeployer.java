package org.releaseengine.bluegreen;

import io.temporal.failure.ApplicationFailure;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.Slot;
import org.releaseengine.providers.Providers;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.runtime.ContainerLaunch;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.CanaryActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.FailureTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The canary strategy, beside blue-green and on the same two slots: the canary starts in the idle
 * slot and takes a share of the requests through each host's proxy (nginx: its weighted round
 * robin), while the live slot keeps the rest. Promotion and the way back are blue-green switches
 * (BlueGreenDeployer.switchTo).
 */
public class CanaryDeployer implements CanaryActivities {

  private static final Logger log = LoggerFactory.getLogger(CanaryDeployer.class);

  private final DeployHosts hosts;

  /** With the secret store and registry access of the worker's environment. */
  public CanaryDeployer(HostDirectory hosts, SshConnections ssh) {
    this(
        hosts,
        ssh,
        SecretStore.fromEnvironment(System.getenv()),
        RegistryAccess.fromEnvironment(System.getenv()));
  }

  /** With the providers this engine ships, every host behind nginx. */
  public CanaryDeployer(
      HostDirectory hosts, SshConnections ssh, SecretStore secrets, RegistryAccess registries) {
    this(hosts, ssh, secrets, registries, Providers.standard());
  }

  /** With {@code providers}, which tell each host's proxy. */
  public CanaryDeployer(
      HostDirectory hosts,
      SshConnections ssh,
      SecretStore secrets,
      RegistryAccess registries,
      Providers providers) {
    this.hosts = new DeployHosts(hosts, ssh, new ContainerLaunches(secrets, registries), providers);
  }

  @Override
  public ConfigPrint startCanary(SlotTarget canary) {
    ContainerLaunch launch = hosts.launch(canary);
    hosts.checkHostPaths(canary);
    hosts.onEach(
        canary,
        host -> {
          Slot back = canary.switchBackOn(host.name());
          host.startBeside(back == null ? canary.slot().other() : back, launch);
        });
    log.info(
        "{} {}: canary {} healthy in the {} slot",
        canary.service(),
        canary.environment(),
        canary.image().pinned(),
        canary.slot().label());
    return launch.print();
  }

  @Override
  public void setCanaryWeight(SlotTarget canary, int percent) {
    if (percent < 1 || percent > 99) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a canary weight is 1-99 percent, not " + percent, FailureTypes.BAD_INPUT);
    }
    hosts.onEach(canary, host -> host.weigh(percent).ifPresent(note -> log.warn("{}", note)));
    log.info(
        "{} {}: {}% of requests to the canary in the {} slot",
        canary.service(), canary.environment(), percent, canary.slot().label());
  }
}
