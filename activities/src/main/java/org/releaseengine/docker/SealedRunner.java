package org.releaseengine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.PullImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.releaseengine.GateNames;
import org.releaseengine.process.OutputTail;
import org.releaseengine.process.SecretRedactor;

/**
 * Runs a gate command (a scanner or an E2E suite from release.yaml, so chosen by the commit being
 * released) sealed: {@code /bin/sh -c COMMAND} in a throwaway container of the runner image, in the
 * worker's Docker engine. The container sees the checkout at {@link #WORKSPACE} (its working
 * directory, writable), runs as an unprivileged user with every capability dropped, and gets only
 * the variables given here: nothing of the worker's environment, home, keys, hosts file or Docker
 * socket. Its network is none, a bridge of its own ({@link Reach#outbound()}), or a sealed bridge
 * on which the only thing to reach is a forwarder to one URL ({@link Reach#url}). A command that
 * outlives its timeout is killed; the container and network are removed whatever happens. The
 * output kept is capped and redacted.
 */
public final class SealedRunner {

  /** Where the checkout is mounted in the container, and its working directory. */
  public static final String WORKSPACE = "/workspace";

  /** The forwarder's name in the container for an https URL on the worker's loopback. */
  public static final String HOST_ALIAS = "host.docker.internal";

  static final String LABEL = "org.releaseengine.gate";
  static final String EXPIRES = "org.releaseengine.gate.expires";

  private static final Duration PULL_TIMEOUT = Duration.ofMinutes(10);
  private static final SecureRandom RANDOM = new SecureRandom();

  private final DockerClient docker;
  private final SecretRedactor redactor;

  public SealedRunner(DockerEngine engine, SecretRedactor redactor) {
    this.docker = engine.client();
    this.redactor = redactor;
  }

  /** The network a sealed command gets. */
  public record Reach(Kind kind, String url) {

    /** What kind of network. */
    public enum Kind {
      NONE,
      OUTBOUND,
      URL
    }

    /** Only the container's own loopback. */
    public static Reach none() {
      return new Reach(Kind.NONE, null);
    }

    /** A bridge network of its own, routed as the worker's host routes; never the host network. */
    public static Reach outbound() {
      return new Reach(Kind.OUTBOUND, null);
    }

    /**
     * {@code url}'s host and port and nothing else, through a forwarder; the command finds the URL
     * to use in BASE_URL.
     */
    public static Reach url(String url) {
      return new Reach(Kind.URL, url);
    }
  }

  /**
   * What to run, where, with which variables and for how long; {@code readOnly} maps paths in the
   * container to the worker's files or directories mounted there read-only (the worker's, never
   * release.yaml's).
   */
  public record SealedCommand(
      String image,
      String command,
      Path checkout,
      Map<String, String> env,
      Reach reach,
      Duration timeout,
      Map<String, Path> readOnly) {

    public SealedCommand(
        String image,
        String command,
        Path checkout,
        Map<String, String> env,
        Reach reach,
        Duration timeout) {
      this(image, command, checkout, env, reach, timeout, Map.of());
    }
  }

  /**
   * How the command ended: its exit code (-1 on timeout), the last lines it printed (capped,
   * redacted) and, for {@link Reach#url}, the BASE_URL it was given.
   */
  public record Result(int exitCode, boolean timedOut, String tail, String baseUrl) {}

  /** The command could not be run sealed; it did not run. */
  public static final class Refused extends Exception {
    public Refused(String message) {
      super(message);
    }
  }

  /** {@code text} with the worker's secrets masked: for summaries built from gate output. */
  public String redact(String text) {
    return redactor.apply(text);
  }

  /**
   * Runs {@code command}, calling {@code tick} (a heartbeat) every couple of seconds; a tick that
   * throws (a cancelled activity) ends the command.
   */
  public Result run(SealedCommand command, Runnable tick) throws Refused, InterruptedException {
    check(command);
    removeExpired();
    ensureImage(command.image());
    GateWorkspace workspace = GateWorkspace.open(command.checkout());
    String id = "re-gate-" + HexFormat.of().formatHex(randomBytes()).substring(0, 7);
    Map<String, String> labels = labels(command.timeout());
    Map<String, String> env = new LinkedHashMap<>(command.env());
    HostConfig host = SealedHost.config(workspace, command.readOnly());
    GateNetwork network = new GateNetwork(docker);
    try {
      network.open(command.reach(), id, labels, host);
      if (network.baseUrl() != null) {
        env.put("BASE_URL", network.baseUrl());
      }
      return runContainer(
          command, id, workspace.user(), env, labels, host, network.baseUrl(), tick);
    } catch (IOException e) {
      throw new Refused("cannot open the way to " + command.reach().url() + ": " + e.getMessage());
    } catch (DockerException | DockerClientException e) {
      throw new Refused("the Docker engine refused the gate container: " + oneLine(e));
    } finally {
      network.close();
    }
  }

  /**
   * The labels of a run's container and network: a gate's, and the deadline after which a later run
   * removes what is left of it ({@link #removeExpired}).
   */
  private static Map<String, String> labels(Duration timeout) {
    return Map.of(
        LABEL,
        "1",
        EXPIRES,
        Long.toString(
            Instant.now().plus(timeout).plus(PULL_TIMEOUT).plusSeconds(60).getEpochSecond()));
  }

  private Result runContainer(
      SealedCommand command,
      String id,
      String user,
      Map<String, String> env,
      Map<String, String> labels,
      HostConfig host,
      String baseUrl,
      Runnable tick)
      throws InterruptedException {
    List<String> variables = new ArrayList<>();
    env.forEach((k, v) -> variables.add(k + "=" + v));
    docker
        .createContainerCmd(command.image())
        .withName(id)
        .withLabels(labels)
        .withEntrypoint("/bin/sh", "-c")
        .withCmd(command.command())
        .withEnv(variables)
        .withWorkingDir(WORKSPACE)
        .withUser(user)
        .withHostConfig(host)
        .exec();
    OutputTail tail = new OutputTail(40, redactor);
    ResultCallback.Adapter<Frame> logs = null;
    try {
      docker.startContainerCmd(id).exec();
      logs = follow(id, tail);
      Long exit = awaitExit(id, command.timeout(), tick);
      if (exit == null) {
        kill(id);
      }
      logs.awaitCompletion(5, TimeUnit.SECONDS);
      return new Result(
          exit == null ? -1 : exit.intValue(), exit == null, tail.toString(), baseUrl);
    } finally {
      if (logs != null) {
        try {
          logs.close();
        } catch (IOException ignored) {
          // the stream ended with the container
        }
      }
      remove(id);
    }
  }

  /** The container's output, stdout and stderr, into {@code tail} as it comes. */
  private ResultCallback.Adapter<Frame> follow(String id, OutputTail tail) {
    return docker
        .logContainerCmd(id)
        .withStdOut(true)
        .withStdErr(true)
        .withFollowStream(true)
        .exec(
            new ResultCallback.Adapter<Frame>() {
              @Override
              public void onNext(Frame frame) {
                tail.add(new String(frame.getPayload(), StandardCharsets.UTF_8));
              }
            });
  }

  /**
   * The container's exit code once it has stopped, or null when it is still running after {@code
   * timeout}; ticks every couple of seconds meanwhile.
   */
  private Long awaitExit(String id, Duration timeout, Runnable tick) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    long nextTick = 0;
    Long exit = null;
    while (exit == null && System.nanoTime() < deadline) {
      InspectContainerResponse.ContainerState state =
          docker.inspectContainerCmd(id).exec().getState();
      if (!Boolean.TRUE.equals(state.getRunning())) {
        exit = state.getExitCodeLong();
        break;
      }
      if (System.nanoTime() >= nextTick) {
        tick.run();
        nextTick = System.nanoTime() + TimeUnit.SECONDS.toNanos(2);
      }
      Thread.sleep(200);
    }
    return exit;
  }

  /** What release.yaml gave is held to the loader's rules again: the worker trusts no input. */
  private static void check(SealedCommand command) throws Refused {
    if (command.image() == null) {
      throw new Refused("no runner image (release.yaml names one with runner:)");
    }
    if (!GateNames.RUNNER_IMAGE.matcher(command.image()).matches()) {
      throw new Refused("malformed runner image '" + command.image() + "'");
    }
    for (Map.Entry<String, String> e : command.env().entrySet()) {
      if (!GateNames.ENV_NAME.matcher(e.getKey()).matches()
          || e.getValue() == null
          || !GateNames.ENV_VALUE.matcher(e.getValue()).matches()) {
        throw new Refused("malformed variable '" + e.getKey() + "'");
      }
    }
    for (Map.Entry<String, Path> mount : command.readOnly().entrySet()) {
      if (!mount.getKey().startsWith("/")
          || mount.getKey().startsWith(WORKSPACE)
          || !Files.exists(mount.getValue())) {
        throw new Refused("cannot mount " + mount.getValue() + " at " + mount.getKey());
      }
    }
    if (command.reach().kind() == Reach.Kind.URL) {
      URI url = URI.create(command.reach().url());
      if (url.getHost() == null
          || !("http".equals(url.getScheme()) || "https".equals(url.getScheme()))) {
        throw new Refused("malformed URL '" + command.reach().url() + "'");
      }
    }
  }

  private void ensureImage(String image) throws Refused, InterruptedException {
    try {
      docker.inspectImageCmd(image).exec();
      return;
    } catch (NotFoundException missing) {
      // pulled below
    }
    try {
      boolean done =
          docker
              .pullImageCmd(image)
              .exec(new PullImageResultCallback())
              .awaitCompletion(PULL_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
      if (!done) {
        throw new Refused("runner image " + image + ": pull timed out");
      }
      docker.inspectImageCmd(image).exec();
    } catch (DockerException | DockerClientException e) {
      throw new Refused(
          "runner image " + image + " is not in the worker's Docker engine: " + oneLine(e));
    }
  }

  /**
   * Removes gate containers and networks whose deadline has passed: what a worker that died in a
   * run left behind. A live run is never past its own deadline.
   */
  private void removeExpired() {
    long now = Instant.now().getEpochSecond();
    try {
      for (Container c :
          docker.listContainersCmd().withShowAll(true).withLabelFilter(Map.of(LABEL, "1")).exec()) {
        if (expired(c.getLabels(), now)) {
          remove(c.getId());
        }
      }
      for (com.github.dockerjava.api.model.Network n :
          docker.listNetworksCmd().withFilter("label", List.of(LABEL + "=1")).exec()) {
        if (expired(n.getLabels(), now)) {
          new GateBridge(docker, n.getName(), null).close();
        }
      }
    } catch (DockerException | DockerClientException e) {
      // best effort: the run itself reports an engine that does not answer
    }
  }

  private static boolean expired(Map<String, String> labels, long now) {
    try {
      return labels != null && Long.parseLong(labels.getOrDefault(EXPIRES, "0")) < now;
    } catch (NumberFormatException e) {
      return true;
    }
  }

  private void kill(String id) {
    try {
      docker.killContainerCmd(id).exec();
    } catch (DockerException | DockerClientException e) {
      // it ended by itself meanwhile
    }
  }

  private void remove(String id) {
    try {
      docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
    } catch (DockerException | DockerClientException e) {
      // gone already; else the expiry label lets a later run remove it
    }
  }

  private static byte[] randomBytes() {
    byte[] bytes = new byte[8];
    RANDOM.nextBytes(bytes);
    return bytes;
  }

  private static String oneLine(Exception e) {
    String message = e.getMessage() == null ? e.toString() : e.getMessage();
    return message.lines().findFirst().orElse(message).strip();
  }
}
