package org.releaseengine.bluegreen;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.ssh.SshConnections.Result;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Blue-green (and a canary's steps) on one host, one step after another; each step is safe to run
 * again after a crash. What nginx serves on the host is read there, never assumed: a slot nginx
 * sends traffic to is never replaced or stopped (the start and stop commands check it themselves).
 */
final class BlueGreenHost {

  private static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
  private static final int VERIFY_SECONDS = 10;
  static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(30);
  private static final Logger log = LoggerFactory.getLogger(BlueGreenHost.class);

  private final HostSpec host;
  private final HostConfig config;
  private final SshConnections ssh;
  private final Consumer<String> progress;

  BlueGreenHost(HostSpec host, HostConfig config, SshConnections ssh, Consumer<String> progress) {
    this.host = host;
    this.config = config;
    this.ssh = ssh;
    this.progress = progress;
  }

  String name() {
    return host.name();
  }

  /** What nginx on this host sends the service's traffic to: each slot with its weight. */
  Map<Slot, Integer> traffic(SlotTarget target) throws IOException {
    SlotCommands slot = new SlotCommands(target, host, config, target.slot());
    return UpstreamLines.weights(
        step("read what nginx serves", slot.traffic()).stdout(), target.spec().slots());
  }

  /**
   * Deploys {@code target} to {@code slot} and switches traffic to it. A host that a canary left
   * weighted is first settled on {@code stable}. Returns a note when the old nginx workers were
   * still draining at the drain timeout (the switch stands; the old slot stays warm).
   */
  Optional<String> deploy(SlotTarget target, Slot slot, Slot stable, ContainerLaunch launch)
      throws IOException {
    Map<Slot, Integer> now = traffic(target);
    if (now.size() > 1 && stable != null && stable != slot) {
      switchAndDrain(target, stable);
    }
    SlotCommands commands = new SlotCommands(target, host, config, slot);
    startHealthy(target, slot, commands, launch);
    return switchAndDrain(target, slot);
  }

  /**
   * Starts {@code target}'s slot beside the live one (a canary): pulled, started, healthy, no
   * traffic.
   */
  void startBeside(SlotTarget target, ContainerLaunch launch) throws IOException {
    startHealthy(
        target, target.slot(), new SlotCommands(target, host, config, target.slot()), launch);
  }

  /**
   * Shares the requests between the canary slot ({@code percent}) and the stable one (the rest).
   */
  Optional<String> weigh(SlotTarget target, int percent) throws IOException {
    SlotCommands slot = new SlotCommands(target, host, config, target.slot());
    Result weighed =
        step(
            "send " + percent + "% to the " + target.slot().label() + " slot",
            slot.weighTraffic(percent));
    return drain(target, weighed);
  }

  /**
   * Refuses {@code target} on this host, before anything changes on it, when a host-path volume
   * goes through a symbolic link here (SlotCommands.hostPaths). Nothing to look at without one.
   */
  void checkHostPaths(SlotTarget target) throws IOException {
    String check = new SlotCommands(target, host, config, target.slot()).hostPaths();
    if (!check.isEmpty()) {
      String what = "look at the volumes' host paths";
      Result looked = run(what, check);
      refuseHostPath(looked);
      if (!looked.ok()) {
        throw new StepFailed(
            StepFailed.STEP, what + " on " + host.name() + " failed: " + looked.reason());
      }
    }
  }

  /** A host path the host refused: the volumePrefix is the policy's, so retrying cannot help. */
  private void refuseHostPath(Result result) {
    if (result.exitCode() == SlotCommands.HOST_PATH_EXIT) {
      throw new StepFailed(StepFailed.REFUSED, host.name() + ": " + result.reason());
    }
  }

  private void startHealthy(
      SlotTarget target, Slot slot, SlotCommands commands, ContainerLaunch launch)
      throws IOException {
    if (launch.registryConfig() == null) {
      step("pull " + target.image().pinned(), commands.pull());
    } else {
      step(
          "pull " + target.image().pinned() + " (with the registry login)",
          commands.pullWithLogin(),
          launch.registryConfig(),
          STEP_TIMEOUT);
    }
    Result started =
        run(
            "start the " + slot.label() + " slot",
            commands.start(launch.print().fingerprint(), launch.envFile() != null),
            launch.envFile(),
            STEP_TIMEOUT);
    refuseHostPath(started);
    if (started.exitCode() == SlotCommands.SERVING_EXIT) {
      throw new StepFailed(StepFailed.SERVING, started.reason() + " on " + host.name());
    }
    if (!started.ok()) {
      throw new StepFailed(
          StepFailed.STEP,
          "start the " + slot.label() + " slot on " + host.name() + " failed: " + started.reason());
    }
    healthCheck(target, slot, commands);
  }

  /**
   * Sends traffic to a slot that still runs (rollback inside the window, or back to where the host
   * was): no pull, no start.
   */
  Optional<String> switchTo(SlotTarget target, Slot slot) throws IOException {
    SlotCommands commands = new SlotCommands(target, host, config, slot);
    if (!run("check the " + slot.label() + " slot", commands.isRunning()).ok()) {
      throw new StepFailed(
          StepFailed.STEP, "the " + slot.label() + " slot is not running on " + host.name());
    }
    return switchAndDrain(target, slot);
  }

  void retire(SlotTarget target, Slot slot) throws IOException {
    step(
        "retire the " + slot.label() + " slot",
        new SlotCommands(target, host, config, slot).stopUnlessLive());
  }

  private void healthCheck(SlotTarget target, Slot slot, SlotCommands commands) throws IOException {
    Duration budget = target.spec().healthBudget();
    Result health =
        run(
            "health-check the " + slot.label() + " slot",
            commands.healthCheck(budget),
            null,
            STEP_TIMEOUT.plus(budget));
    if (!health.ok()) {
      run("stop the failed slot", commands.stop());
      throw new StepFailed(
          StepFailed.HEALTH_CHECK,
          "health check of the "
              + slot.label()
              + " slot on "
              + host.name()
              + " failed: "
              + health.reason()
              + "; traffic stays where it was");
    }
  }

  private Optional<String> switchAndDrain(SlotTarget target, Slot to) throws IOException {
    SlotCommands commands = new SlotCommands(target, host, config, to);
    Result switched = step("switch nginx to the " + to.label() + " slot", commands.switchTraffic());
    step("verify through nginx", commands.verifyThroughNginx(VERIFY_SECONDS));
    return drain(target, switched);
  }

  /**
   * Once the old nginx workers have gone, no request follows the previous upstream any more. When
   * they outlive the drain timeout (long responses), the switch stands and the old slot, which
   * stays warm for the rollback window, finishes them: the note says so.
   */
  private Optional<String> drain(SlotTarget target, Result reloaded) throws IOException {
    String out = reloaded.stdout().trim();
    if (!out.startsWith("old-workers:")) {
      return Optional.empty();
    }
    Duration timeout =
        target.spec().drainTimeout() == null ? DEFAULT_DRAIN_TIMEOUT : target.spec().drainTimeout();
    Result drained =
        run(
            "wait for the old nginx workers",
            SlotCommands.awaitExit(out.substring(12).trim(), (int) timeout.toSeconds()));
    return drained.ok()
        ? Optional.empty()
        : Optional.of(
            host.name()
                + ": old nginx workers still finishing requests after "
                + timeout.toSeconds()
                + " s; the previous slot stays warm for them");
  }

  private Result step(String what, String command) throws IOException {
    return step(what, command, null, STEP_TIMEOUT);
  }

  private Result step(String what, String command, byte[] stdin, Duration timeout)
      throws IOException {
    Result result = run(what, command, stdin, timeout);
    if (!result.ok()) {
      throw new StepFailed(
          StepFailed.STEP, what + " on " + host.name() + " failed: " + result.reason());
    }
    return result;
  }

  /** One remote step, heartbeating (through {@code progress}) for as long as it runs. */
  private Result run(String what, String command) throws IOException {
    return run(what, command, null, STEP_TIMEOUT);
  }

  /** As {@link #run(String, String)}, with {@code stdin} (values that stay out of commands). */
  private Result run(String what, String command, byte[] stdin, Duration timeout)
      throws IOException {
    String label = host.name() + ": " + what;
    log.info("{}", label); // one line per step: what an operator (or the chaos suite) follows
    progress.accept(label);
    return ssh.exec(host, config, command, stdin, timeout, () -> progress.accept(label));
  }
}
