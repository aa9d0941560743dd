package org.releaseengine.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.stream.Stream;

/**
 * A git repository holding a copy of examples/hello-app, as a team's repository would: tests commit
 * versions to it (healthy or misbehaving on purpose) and release their shas.
 */
public final class ExampleRepo {

  private final Path dir;

  private ExampleRepo(Path dir) {
    this.dir = dir;
  }

  public static ExampleRepo create() {
    Path dir = Infra.tempDir("hello-app-repo-");
    copy(Infra.ROOT.resolve("examples/hello-app"), dir);
    Infra.run(dir, "git", "init", "--quiet", "--initial-branch=main");
    Infra.run(dir, "git", "config", "user.email", "dev@example.com");
    Infra.run(dir, "git", "config", "user.name", "dev");
    return new ExampleRepo(dir);
  }

  public Path dir() {
    return dir;
  }

  /** Commits the app with these faults (faults.properties content) and returns the new sha. */
  public String commit(String faults, String message) {
    try {
      Files.writeString(dir.resolve("faults.properties"), faults + "\n# " + message + "\n");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Infra.run(dir, "git", "add", "-A");
    Infra.run(dir, "git", "commit", "--quiet", "-m", message);
    return Infra.run(dir, "git", "rev-parse", "HEAD").trim();
  }

  /** Commits a change to any file and returns the new sha. */
  public String commitFile(String path, String content, String message) {
    try {
      Files.writeString(dir.resolve(path), content);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    Infra.run(dir, "git", "add", "-A");
    Infra.run(dir, "git", "commit", "--quiet", "-m", message);
    return Infra.run(dir, "git", "rev-parse", "HEAD").trim();
  }

  private static void copy(Path from, Path to) {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path source : files.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (source.getFileName().toString().equals(".github")
            || source.toString().contains("/.github/")) {
          continue;
        }
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.REPLACE_EXISTING);
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
