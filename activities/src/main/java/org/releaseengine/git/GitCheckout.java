package org.releaseengine.git;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.releaseengine.process.Commands;
import org.releaseengine.process.Commands.Result;
import org.releaseengine.process.OutputLines;

/**
 * The source at one sha in a clean temporary directory, deleted on close. Git runs without a shell
 * and with {@code --} before the location, so neither can be read as an option or a command.
 */
public final class GitCheckout implements AutoCloseable {

  private static final Duration TIMEOUT = Duration.ofMinutes(5);
  private static final Map<String, String> QUIET =
      Map.of("GIT_TERMINAL_PROMPT", "0", "GIT_ASKPASS", "true");

  private final Path dir;

  private GitCheckout(Path dir) {
    this.dir = dir;
  }

  /**
   * Clones {@code source} (a path or URL) and checks out {@code sha}; fails with a one-line reason.
   */
  public static GitCheckout of(String source, String sha) throws IOException, InterruptedException {
    return of(source, sha, () -> {});
  }

  /** As {@link #of(String, String)}, calling {@code tick} (a heartbeat) while git runs. */
  public static GitCheckout of(String source, String sha, Runnable tick)
      throws IOException, InterruptedException {
    Path dir = Files.createTempDirectory("release-src-");
    GitCheckout checkout = new GitCheckout(dir);
    Result clone =
        Commands.run(
            dir,
            QUIET,
            TIMEOUT,
            List.of(
                "git",
                "clone",
                "--quiet",
                "--no-checkout",
                "--",
                source,
                dir.resolve("src").toString()),
            tick);
    if (!clone.ok()) {
      checkout.close();
      throw new SourceException("cannot clone " + source + ": " + lastLine(clone.tail()));
    }
    Result co =
        Commands.run(
            checkout.root(),
            QUIET,
            TIMEOUT,
            List.of("git", "-c", "advice.detachedHead=false", "checkout", "--quiet", sha, "--"),
            tick);
    if (!co.ok()) {
      checkout.close();
      throw new SourceException("sha " + sha + " not found in " + source);
    }
    return checkout;
  }

  public Path root() {
    return dir.resolve("src");
  }

  /**
   * The checked-out commit's committer time in epoch milliseconds (the start of a deploy's lead
   * time), or null when git cannot tell.
   */
  public Long commitTimeMs() throws IOException, InterruptedException {
    Result log =
        Commands.run(root(), QUIET, TIMEOUT, List.of("git", "log", "-1", "--format=%ct", "HEAD"));
    return log.ok() ? CommitTime.parseSeconds(log.tail()) : null;
  }

  @Override
  public void close() {
    try (Stream<Path> files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String lastLine(String text) {
    return OutputLines.last(text).map(l -> l.replaceFirst("^fatal: ", "")).orElse("git failed");
  }

  /** The source could not be had at that sha. */
  public static final class SourceException extends IOException {
    public SourceException(String message) {
      super(message);
    }
  }
}
