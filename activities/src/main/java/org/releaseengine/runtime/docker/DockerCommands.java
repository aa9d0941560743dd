package org.releaseengine.runtime.docker;

import static org.releaseengine.ssh.ShellValues.quote;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.model.VolumeSpec;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostScript;
import org.releaseengine.ssh.ShellValues;
import org.releaseengine.ssh.ShellValues.Kind;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * The commands that run one service's two slots on one host's Docker, each a script beside this
 * class with its values as arguments. Every value is checked and quoted in the constructor
 * (ShellValues), so an unsafe value fails before a single command exists. Each command is
 * idempotent: running it again converges.
 */
final class DockerCommands {

  /** The exit code of {@link #hostPaths()} (and so of {@link #start}) refusing a host path. */
  static final int HOST_PATH_EXIT = 4;

  private final String dockerHost;
  private final String image;
  private final String healthPath;
  private final String healthStatus;
  private final String stopSeconds;
  private final Map<Slot, String> containers = new EnumMap<>(Slot.class);
  private final Map<Slot, String> ports = new EnumMap<>(Slot.class);
  private final String service;
  private final String environment;
  private final String sha;
  private final List<String> runOptions;
  private final List<String> command;
  private final List<String> hostPaths;

  DockerCommands(SlotTarget target, HostConfig config) {
    service = quote(Kind.NAME, "service", target.service());
    environment = quote(Kind.NAME, "environment", target.environment());
    dockerHost = quote(Kind.DOCKER_HOST, "docker endpoint", config.dockerHost());
    for (Slot slot : Slot.values()) {
      String name = target.service() + "-" + target.environment() + "-" + slot.label();
      containers.put(slot, quote(Kind.NAME, "container name", name));
      ports.put(slot, quote(Kind.PORT, "slot port", target.spec().slots().portOf(slot)));
    }
    image = quote(Kind.IMAGE, "image", target.image().pinned());
    healthPath = quote(Kind.URL_PATH, "health path", target.spec().healthPath());
    healthStatus = quote(Kind.NUMBER, "health status", target.spec().expectedHealthStatus());
    stopSeconds =
        quote(Kind.NUMBER, "stop seconds", Math.max(1, target.spec().stopBudget().toSeconds()));
    sha = quote(Kind.SHA, "sha", target.image().sha());
    ContainerSpec container = target.spec().container();
    runOptions = runOptions(container);
    command = command(container);
    hostPaths = hostPaths(container);
  }

  /** Limits and volumes, each value checked and quoted. */
  private static List<String> runOptions(ContainerSpec container) {
    List<String> options = new ArrayList<>();
    if (container == null) {
      return options;
    }
    if (container.memory() != null) {
      options.addAll(List.of("--memory", quote(Kind.MEMORY, "memory", container.memory())));
    }
    if (container.cpus() != null) {
      options.addAll(List.of("--cpus", quote(Kind.CPUS, "cpus", container.cpus())));
    }
    if (container.volumes() != null) {
      for (VolumeSpec volume : container.volumes()) {
        options.addAll(List.of("-v", quote(Kind.VOLUME, "volume", volume.mount())));
      }
    }
    return options;
  }

  /** The container's command after the image, each word quoted; empty for the image's own. */
  private static List<String> command(ContainerSpec container) {
    List<String> words = new ArrayList<>();
    if (container != null && container.command() != null) {
      for (String word : container.command()) {
        words.add(quote(Kind.ARGUMENT, "command word", word));
      }
    }
    return words;
  }

  /**
   * Each host-path volume as host-paths.sh walks it: the path, its components from the top down,
   * then "--". Empty when the container mounts no host path.
   */
  private static List<String> hostPaths(ContainerSpec container) {
    List<String> walk = new ArrayList<>();
    if (container == null || container.volumes() == null) {
      return walk;
    }
    for (VolumeSpec volume : container.volumes()) {
      if (volume.hostPath()) {
        walk.add(quote(Kind.PATH, "host path", volume.source()));
        StringBuilder path = new StringBuilder();
        for (String part : volume.source().split("/")) {
          if (!part.isEmpty() && !part.equals(".")) {
            path.append('/').append(part);
            walk.add(quote(Kind.PATH, "host path", path.toString()));
          }
        }
        walk.add("--");
      }
    }
    return walk;
  }

  /**
   * The look on the host at each host-path volume (host-paths.sh), or empty when there are none.
   * {@link #start} runs it too, in the same command as docker run (a pull may come between a first
   * look and the start), so that the time a running container has to swap a directory for a link is
   * as short as it can be.
   */
  String hostPaths() {
    return hostPaths.isEmpty() ? "" : hostPathScript().command();
  }

  private HostScript hostPathScript() {
    return HostScript.of(DockerCommands.class, "host-paths.sh", hostPaths);
  }

  /** Pull by digest, never by tag. */
  String pull() {
    return HostScript.of(DockerCommands.class, "pull.sh", dockerHost, image).command();
  }

  /** Pull by digest with a registry login that arrives on standard input as a config.json. */
  String pullWithLogin() {
    return HostScript.of(DockerCommands.class, "pull-with-login.sh", dockerHost, image).command();
  }

  /**
   * Start {@code slot} with the image unless it already runs exactly that image with that
   * configuration ({@code fingerprint}, on the container's label). With {@code envFile}, the
   * container's variables arrive on standard input. The host-path volumes are looked at first
   * ({@link #hostPaths()}): a refusal changes no container; so does {@code guard}'s (null: none).
   */
  String start(Slot slot, String fingerprint, boolean envFile, HostScript guard) {
    List<String> arguments =
        new ArrayList<>(
            List.of(
                dockerHost,
                containers.get(slot),
                image,
                quote(Kind.FINGERPRINT, "configuration fingerprint", fingerprint),
                stopSeconds,
                envFile ? "env-file" : "none",
                guard(guard),
                "-e",
                "PORT=" + ports.get(slot)));
    arguments.addAll(
        List.of(
            "--label",
            "release.service=" + service,
            "--label",
            "release.environment=" + environment,
            "--label",
            "release.slot=" + slot.label(),
            "--label",
            "release.sha=" + sha));
    arguments.addAll(runOptions);
    arguments.add("--");
    arguments.addAll(command);
    HostScript start = HostScript.of(DockerCommands.class, "start.sh", arguments);
    return hostPaths.isEmpty() ? start.command() : hostPathScript().andThen(start);
  }

  /**
   * Health-check the slot directly (not through the proxy) until it answers the expected status,
   * for at most {@code budget} (its start-up time included).
   */
  String health(Slot slot, Duration budget) {
    String seconds = quote(Kind.NUMBER, "health seconds", Math.max(1, budget.toSeconds()));
    return HostScript.of(
            DockerCommands.class, "health.sh", ports.get(slot), healthPath, healthStatus, seconds)
        .command();
  }

  /** Whether the slot's container runs. */
  String running(Slot slot) {
    return HostScript.of(DockerCommands.class, "running.sh", dockerHost, containers.get(slot))
        .command();
  }

  /**
   * Stop the slot's container (SIGTERM, then SIGKILL after stopTimeout) and remove it, unless
   * {@code guard} (null: none) refuses.
   */
  String stop(Slot slot, HostScript guard) {
    return HostScript.of(
            DockerCommands.class,
            "stop.sh",
            dockerHost,
            containers.get(slot),
            stopSeconds,
            guard(guard))
        .command();
  }

  /** A guard as one word: the command it runs, or nothing. */
  private static String guard(HostScript guard) {
    return guard == null ? "''" : ShellValues.script(guard.command());
  }
}
