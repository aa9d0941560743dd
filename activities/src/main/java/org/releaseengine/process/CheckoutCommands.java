package org.releaseengine.process;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.releaseengine.git.GitCheckout;
import org.releaseengine.process.Commands.Result;
import org.releaseengine.stage.FailureTypes;

/**
 * What the gate stages share: the checkout at a sha, paths kept inside it, and configured commands.
 */
public final class CheckoutCommands {

  private CheckoutCommands() {}

  public static GitCheckout checkout(String source, String sha) {
    try {
      ActivityExecutionContext activity = Activity.getExecutionContext();
      return GitCheckout.of(source, sha, () -> activity.heartbeat("checking out " + sha));
    } catch (GitCheckout.SourceException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), FailureTypes.BAD_INPUT);
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "checkout of " + sha + " failed: " + e.getMessage(), "CheckoutFailed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }

  /** {@code relative} resolved in {@code root}; a path that leaves the checkout is bad input. */
  public static Path inside(Path root, String relative, String what) {
    Path resolved = root.resolve(relative).normalize();
    if (relative.startsWith("/") || !resolved.startsWith(root)) {
      throw ApplicationFailure.newNonRetryableFailure(
          what + " path '" + relative + "' leaves the checkout", FailureTypes.BAD_INPUT);
    }
    return resolved;
  }

  /**
   * Runs a command from release.yaml with {@code sh -c} in the checkout, heartbeating while it
   * runs. The command is the service owner's configuration; no value from a request is put into it.
   */
  public static Result run(Path root, String command, Duration timeout, Map<String, String> env) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    try {
      return Commands.run(
          root, env, timeout, List.of("sh", "-c", command), () -> activity.heartbeat(command));
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(
          "cannot run '" + command + "': " + e.getMessage(), "CommandFailed");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }
}
