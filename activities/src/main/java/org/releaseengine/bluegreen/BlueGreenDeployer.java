package org.releaseengine.bluegreen;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.releaseengine.model.HostSpec;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.DeployActivities;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blue-green strategy over SSH, host by host: pull by digest, start the idle slot, health-check
 * it, switch nginx, verify through nginx, wait for the old workers. If any host fails, every host
 * that already switched is switched back, and the deploy fails naming the host and the reason.
 */
public class BlueGreenDeployer implements DeployActivities {

  private static final Logger log = LoggerFactory.getLogger(BlueGreenDeployer.class);

  private final DeployHosts hosts;

  public BlueGreenDeployer(HostDirectory hosts, SshConnections ssh) {
    this.hosts = new DeployHosts(hosts, ssh);
  }

  @Override
  public void deploy(SlotTarget target) {
    Map<HostSpec, BlueGreenHost> plan = hosts.plan(target);
    Map<BlueGreenHost, String> switched = new LinkedHashMap<>();
    for (var entry : plan.entrySet()) {
      try {
        switched.put(entry.getValue(), entry.getValue().deploy(target));
      } catch (IOException | StepFailed failure) {
        switchBack(target, switched);
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
  }

  @Override
  public void switchTo(SlotTarget target) {
    hosts.onEach(target, host -> host.switchTo(target));
    log.info(
        "{} {}: switched to the {} slot ({})",
        target.service(),
        target.environment(),
        target.slot().label(),
        target.image().sha());
  }

  @Override
  public void retire(SlotTarget target) {
    hosts.onEach(target, host -> host.retire(target));
  }

  private void switchBack(SlotTarget target, Map<BlueGreenHost, String> switched) {
    switched.forEach(
        (host, previousPort) -> {
          if (previousPort.isEmpty()) {
            return;
          }
          try {
            host.switchBack(target, previousPort);
          } catch (IOException | StepFailed e) {
            log.error("could not switch a host back to port {}: {}", previousPort, e.getMessage());
          }
        });
  }
}
