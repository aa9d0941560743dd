package org.releaseengine.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What scripts/infra.sh started, as its env file tells: the integration tests' real parts. */
public final class Infra {

  public static final Path ROOT =
      Path.of(System.getProperty("project.root", "..")).toAbsolutePath().normalize();

  private Infra() {}

  public static String env(String name) {
    String value = System.getenv(name);
    if (value == null || value.isBlank()) {
      throw new IllegalStateException(
          name
              + " is not set: integration tests need the local infrastructure "
              + "(scripts/infra.sh up, then . $RELEASE_INFRA_DIR/env), which scripts/test.sh provides");
    }
    return value;
  }

  public static String dockerHost() {
    return env("DOCKER_HOST");
  }

  /** The image the example's gate commands run in (scripts/infra.sh builds it). */
  public static String gateRunner() {
    return env("RELEASE_GATE_RUNNER");
  }

  public static String registry() {
    return env("RELEASE_REGISTRY");
  }

  public static Path dir() {
    return Path.of(env("RELEASE_INFRA_DIR"));
  }

  /** Runs a command and returns its output; fails the test if it fails. */
  public static String run(Path dir, String... command) {
    try {
      Process p =
          new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
      String out = new String(p.getInputStream().readAllBytes());
      if (p.waitFor() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed: " + out);
      }
      return out;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Path tempDir(String prefix) {
    try {
      return Files.createTempDirectory(prefix);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
