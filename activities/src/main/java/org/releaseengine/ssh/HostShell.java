package org.releaseengine.ssh;

import java.io.IOException;
import java.time.Duration;
import java.util.function.Consumer;
import org.releaseengine.model.HostSpec;
import org.releaseengine.ssh.SshConnections.Result;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One host as the providers that work over SSH see it: each remote step named, logged on one line
 * and heartbeating (through {@code progress}) for as long as it runs.
 */
public final class HostShell {

  public static final Duration STEP_TIMEOUT = Duration.ofMinutes(5);
  private static final Logger log = LoggerFactory.getLogger(HostShell.class);

  private final HostSpec host;
  private final HostConfig config;
  private final SshConnections ssh;
  private final Consumer<String> progress;

  public HostShell(
      HostSpec host, HostConfig config, SshConnections ssh, Consumer<String> progress) {
    this.host = host;
    this.config = config;
    this.ssh = ssh;
    this.progress = progress;
  }

  public HostSpec host() {
    return host;
  }

  public HostConfig config() {
    return config;
  }

  public String name() {
    return host.name();
  }

  /** Runs {@code command}; a failure is its result, not an exception. */
  public Result run(String what, String command) throws IOException {
    return run(what, command, null, STEP_TIMEOUT);
  }

  /** As {@link #run(String, String)}, with {@code stdin} (values that stay out of commands). */
  public Result run(String what, String command, byte[] stdin, Duration timeout)
      throws IOException {
    String label = host.name() + ": " + what;
    log.info("{}", label); // one line per step: what an operator (or the chaos suite) follows
    progress.accept(label);
    try {
      return ssh.exec(host, config, command, stdin, timeout, () -> progress.accept(label));
    } catch (SshConnections.StepTimedOut timedOut) {
      // the command opens with a whole script: the step's name says more than its first words
      throw new SshConnections.StepTimedOut(
          "'" + what + "' timed out after " + timeout.toSeconds() + " s");
    }
  }

  /** Runs {@code command}; a failure is a {@link StepFailed} naming the step and the host. */
  public Result step(String what, String command) throws IOException {
    return step(what, command, null, STEP_TIMEOUT);
  }

  public Result step(String what, String command, byte[] stdin, Duration timeout)
      throws IOException {
    Result result = run(what, command, stdin, timeout);
    if (!result.ok()) {
      throw failed(what, result);
    }
    return result;
  }

  /** The failure of step {@code what}, retryable: a later attempt may find the host better. */
  public StepFailed failed(String what, Result result) {
    return new StepFailed(
        StepFailed.STEP, what + " on " + host.name() + " failed: " + result.reason());
  }
}
