package org.releaseengine.git;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Path;
import org.releaseengine.stage.FailureTypes;

/**
 * What the gate stages share: the checkout at a sha and paths kept inside it. Beside GitCheckout,
 * which runs its commands through the process package, never the other way round.
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
   * Whether {@code path} (inside {@code root} by name) is inside it once every link is followed: a
   * gate command may leave a link to a file of the worker where a report should be.
   */
  public static boolean realInside(Path root, Path path) {
    try {
      return path.toRealPath().startsWith(root.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }
}
