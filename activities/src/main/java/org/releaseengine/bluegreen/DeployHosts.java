package org.releaseengine.bluegreen;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import net.schmizz.sshj.transport.TransportException;
import org.releaseengine.model.HostSpec;
import org.releaseengine.providers.Providers;
import org.releaseengine.runtime.ContainerLaunch;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.HostShell;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.ssh.StepFailed;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.FailureTypes;

/**
 * The hosts of a deploy target as the deployers see them: each host's proxy and container runtime
 * resolved and built (and so every value validated) before anything is sent to any host, and a
 * host's failure turned into the activity failure that says whether retrying can help.
 */
final class DeployHosts {

  /** One step on one host. */
  interface HostStep {
    void run(BlueGreenHost host) throws IOException;
  }

  private final HostDirectory hosts;
  private final SshConnections ssh;
  private final ContainerLaunches launches;
  private final Providers providers;

  DeployHosts(
      HostDirectory hosts, SshConnections ssh, ContainerLaunches launches, Providers providers) {
    this.hosts = hosts;
    this.ssh = ssh;
    this.launches = launches;
    this.providers = providers;
  }

  /**
   * The launch of {@code target}'s container: its secrets resolved, its configuration
   * fingerprinted. A secret the store cannot give fails the deploy for good, naming it.
   */
  ContainerLaunch launch(SlotTarget target) {
    try {
      return launches.prepare(target);
    } catch (SecretStore.MissingSecret missing) {
      throw ApplicationFailure.newNonRetryableFailure(
          target.environment() + ": " + missing.getMessage(), "MissingSecret");
    }
  }

  Map<HostSpec, BlueGreenHost> plan(SlotTarget target) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    Map<HostSpec, BlueGreenHost> plan = new LinkedHashMap<>();
    try {
      for (HostSpec host : target.spec().hosts()) {
        HostConfig config =
            hosts
                .find(host.name())
                .orElseThrow(
                    () ->
                        new UnsafeValue(
                            "the worker has no configuration for host '"
                                + host.name()
                                + "' (RELEASE_HOSTS_FILE)"));
        HostShell shell = new HostShell(host, config, ssh, step -> activity.heartbeat(step));
        plan.put(
            host,
            new BlueGreenHost(
                host.name(),
                target,
                providers.routerOn(host.name()).on(target, shell),
                providers.runtime(Providers.DEFAULT_RUNTIME).on(target, shell)));
      }
    } catch (UnsafeValue | Providers.Unknown unusable) {
      throw ApplicationFailure.newNonRetryableFailure(
          unusable.getMessage(), FailureTypes.BAD_INPUT);
    }
    return plan;
  }

  /**
   * Looks at the host paths of {@code target}'s volumes on every host before anything changes on
   * any: one that goes through a symbolic link fails the deploy for good, naming the host.
   */
  void checkHostPaths(SlotTarget target) {
    onEach(target, BlueGreenHost::checkHostPaths);
  }

  /** Runs {@code step} on every host in turn; the first host that fails stops it. */
  void onEach(SlotTarget target, HostStep step) {
    for (var entry : plan(target).entrySet()) {
      try {
        step.run(entry.getValue());
      } catch (IOException | StepFailed failure) {
        throw failure(entry.getKey(), failure);
      }
    }
  }

  ApplicationFailure failure(HostSpec host, Exception failure) {
    if (failure instanceof StepFailed step) {
      return StepFailed.HEALTH_CHECK.equals(step.type)
              || StepFailed.SERVING.equals(step.type)
              || StepFailed.REFUSED.equals(step.type)
          ? ApplicationFailure.newNonRetryableFailure(step.getMessage(), step.type)
          : ApplicationFailure.newFailure(step.getMessage(), step.type);
    }
    ssh.drop(host);
    if (failure instanceof SshConnections.StepTimedOut timedOut) {
      return ApplicationFailure.newFailure(
          "on " + host.name() + ": " + timedOut.getMessage(), "StepTimedOut");
    }
    if (failure instanceof TransportException t
        && t.getDisconnectReason() != null
        && t.getDisconnectReason().name().equals("HOST_KEY_NOT_VERIFIABLE")) {
      return ApplicationFailure.newNonRetryableFailure(
          "host key of "
              + host.name()
              + " ("
              + host.address()
              + ":"
              + host.port()
              + ") is not the one in known_hosts: refusing to connect",
          "HostKeyRejected");
    }
    return ApplicationFailure.newFailure(
        "host "
            + host.name()
            + " ("
            + host.address()
            + ":"
            + host.port()
            + ") unreachable: "
            + failure.getMessage(),
        "HostUnreachable");
  }
}
