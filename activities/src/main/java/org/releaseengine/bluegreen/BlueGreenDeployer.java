package org.releaseengine.bluegreen;

import java.io.IOException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.providers.Providers;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.runtime.ContainerLaunch;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.ssh.StepFailed;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.HostTraffic;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blue-green strategy, host by host, through each host's container runtime and proxy: pull by
 * digest, start the idle slot, health-check it, switch the proxy, verify through it, drain the old
 * routing. If any host fails, every host this attempt touched, the failing one included, is
 * switched back to the slot the environment recorded for it, and the deploy fails naming the host
 * and the reason.
 */
public class BlueGreenDeployer implements DeployActivities {

  private static final Logger log = LoggerFactory.getLogger(BlueGreenDeployer.class);

  private final DeployHosts hosts;

  /** With the secret store and registry access of the worker's environment. */
  public BlueGreenDeployer(HostDirectory hosts, SshConnections ssh) {
    this(
        hosts,
        ssh,
        SecretStore.fromEnvironment(System.getenv()),
        RegistryAccess.fromEnvironment(System.getenv()));
  }

  /** With the providers this engine ships, every host behind nginx. */
  public BlueGreenDeployer(
      HostDirectory hosts, SshConnections ssh, SecretStore secrets, RegistryAccess registries) {
    this(hosts, ssh, secrets, registries, Providers.standard());
  }

  /** With {@code providers}, which tell each host's proxy. */
  public BlueGreenDeployer(
      HostDirectory hosts,
      SshConnections ssh,
      SecretStore secrets,
      RegistryAccess registries,
      Providers providers) {
    this.hosts = new DeployHosts(hosts, ssh, new ContainerLaunches(secrets, registries), providers);
  }

  @Override
  public List<HostTraffic> inspect(SlotTarget target) {
    List<HostTraffic> seen = new ArrayList<>();
    for (var entry : hosts.plan(target).entrySet()) {
      try {
        seen.add(new HostTraffic(entry.getKey().name(), entry.getValue().traffic(), null));
      } catch (IOException | StepFailed failure) {
        String why = hosts.failure(entry.getKey(), failure).getOriginalMessage();
        seen.add(new HostTraffic(entry.getKey().name(), new EnumMap<>(Slot.class), why));
      }
    }
    return seen;
  }

  @Override
  public DeployReport deploy(SlotTarget target) {
    Map<HostSpec, BlueGreenHost> plan = hosts.plan(target);
    ContainerLaunch launch = hosts.launch(target);
    hosts.checkHostPaths(target);
    Map<BlueGreenHost, Slot> touched = new LinkedHashMap<>();
    List<String> notes = new ArrayList<>();
    for (var entry : plan.entrySet()) {
      BlueGreenHost host = entry.getValue();
      try {
        Slot back = target.switchBackOn(host.name());
        if (back == null) { // no record: what the host serves now is where it goes back to
          Map<Slot, Integer> now = host.traffic();
          back = now.size() == 1 ? now.keySet().iterator().next() : null;
        }
        touched.put(host, back);
        host.deploy(target.slotOn(host.name()), back, launch).ifPresent(notes::add);
      } catch (IOException | StepFailed failure) {
        switchBack(touched);
        throw hosts.failure(entry.getKey(), failure);
      }
    }
    log.info(
        "{} {}: {} live in the {} slot on {} host(s)",
        target.service(),
        target.environment(),
        target.image().pinned(),
        target.slot().label(),
        plan.size());
    return new DeployReport(notes, launch.print());
  }

  @Override
  public void switchTo(SlotTarget target) {
    hosts.onEach(
        target,
        host -> host.switchTo(target.slotOn(host.name())).ifPresent(note -> log.warn("{}", note)));
    log.info(
        "{} {}: switched to the {} slot ({})",
        target.service(),
        target.environment(),
        target.slot().label(),
        target.image().sha());
  }

  @Override
  public void retire(SlotTarget target) {
    hosts.onEach(target, host -> host.retire(target.slotOn(host.name())));
  }

  /** Every touched host back on its slot; a host that cannot be switched back is only logged. */
  private void switchBack(Map<BlueGreenHost, Slot> touched) {
    touched.forEach(
        (host, back) -> {
          if (back == null) {
            return; // nothing served there before: nothing to go back to
          }
          try {
            host.switchTo(back).ifPresent(note -> log.warn("{}", note));
          } catch (IOException | StepFailed e) {
            log.error(
                "could not switch {} back to the {} slot: {}",
                host.name(),
                back.label(),
                e.getMessage());
          }
        });
  }
}
