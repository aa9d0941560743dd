package org.releaseengine.bluegreen;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.schmizz.sshj.transport.TransportException;
import org.releaseengine.model.HostSpec;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.FailureTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The blue-green strategy over SSH, host by host: pull by digest, start the idle slot, health-check
 * it, switch nginx, verify through nginx, wait for the old workers. If any host fails, every host that
 * already switched is switched back, and the deploy fails naming the host and the reason.
 */
public class BlueGreenDeployer implements DeployActivities {

  private static final Logger log = LoggerFactory.getLogger(BlueGreenDeployer.class);

  private final HostDirectory hosts;
  private final SshConnections ssh;

  public BlueGreenDeployer(HostDirectory hosts, SshConnections ssh) {
    this.hosts = hosts;
    this.ssh = ssh;
  }

  @Override
  public void deploy(SlotTarget target) {
    Map<HostSpec, BlueGreenHost> plan = plan(target);
    Map<BlueGreenHost, String> switched = new LinkedHashMap<>();
    for (var entry : plan.entrySet()) {
      try {
        switched.put(entry.getValue(), entry.getValue().deploy(target));
      } catch (IOException | StepFailed failure) {
        switchBack(target, switched);
        throw failure(entry.getKey(), failure);
      }
    }
    log.info("{} {}: {} live in the {} slot on {} host(s)", target.service(), target.environment(),
        target.image().pinned(), target.slot().label(), plan.size());
  }

  @Override
  public void switchTo(SlotTarget target) {
    for (var entry : plan(target).entrySet()) {
      try {
        entry.getValue().switchTo(target);
      } catch (IOException | StepFailed failure) {
        throw failure(entry.getKey(), failure);
      }
    }
    log.info("{} {}: switched to the {} slot ({})", target.service(), target.environment(),
        target.slot().label(), target.image().sha());
  }

  @Override
  public void retire(SlotTarget target) {
    for (var entry : plan(target).entrySet()) {
      try {
        entry.getValue().retire(target);
      } catch (IOException | StepFailed failure) {
        throw failure(entry.getKey(), failure);
      }
    }
  }

  /** Every host's steps, built (and so validated) before anything is sent to any host. */
  private Map<HostSpec, BlueGreenHost> plan(SlotTarget target) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    Map<HostSpec, BlueGreenHost> plan = new LinkedHashMap<>();
    try {
      for (HostSpec host : target.spec().hosts()) {
        HostConfig config = hosts.find(host.name()).orElseThrow(() -> new UnsafeValue(
            "the worker has no configuration for host '" + host.name() + "' (RELEASE_HOSTS_FILE)"));
        new SlotCommands(target, host, config, target.slot());
        plan.put(host, new BlueGreenHost(host, config, ssh, step -> activity.heartbeat(step)));
      }
    } catch (UnsafeValue unsafe) {
      throw ApplicationFailure.newNonRetryableFailure(unsafe.getMessage(), FailureTypes.BAD_INPUT);
    }
    return plan;
  }

  private void switchBack(SlotTarget target, Map<BlueGreenHost, String> switched) {
    switched.forEach((host, previousPort) -> {
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

  private ApplicationFailure failure(HostSpec host, Exception failure) {
    if (failure instanceof StepFailed step) {
      return StepFailed.HEALTH_CHECK.equals(step.type)
          ? ApplicationFailure.newNonRetryableFailure(step.getMessage(), step.type)
          : ApplicationFailure.newFailure(step.getMessage(), step.type);
    }
    ssh.drop(host);
    if (failure instanceof TransportException t && t.getDisconnectReason() != null
        && t.getDisconnectReason().name().equals("HOST_KEY_NOT_VERIFIABLE")) {
      return ApplicationFailure.newNonRetryableFailure("host key of " + host.name() + " (" + host.address()
          + ":" + host.port() + ") is not the one in known_hosts: refusing to connect", "HostKeyRejected");
    }
    return ApplicationFailure.newFailure("host " + host.name() + " (" + host.address() + ":" + host.port()
        + ") unreachable: " + failure.getMessage(), "HostUnreachable");
  }
}
