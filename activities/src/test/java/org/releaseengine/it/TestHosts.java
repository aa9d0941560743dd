package org.releaseengine.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.SlotPorts;

/** Environments on the infra's staging/production hosts, on ports no other test uses. */
public final class TestHosts {

  private TestHosts() {}

  /**
   * Below Linux's ephemeral range (32768-60999), which the kernel hands to outgoing connections.
   */
  private static final int FIRST_PORT = 20000;

  private static final int PORTS = 12000;
  private static final AtomicInteger NEXT = new AtomicInteger(new Random().nextInt(PORTS));

  /**
   * A port free now, for nginx or a slot to listen on later. Not an ephemeral one: any client
   * connection made in between (a load generator opens thousands) may take an ephemeral port as its
   * own end, and nginx's reload then cannot listen on it.
   */
  public static int freePort() {
    for (int tries = 0; tries < PORTS; tries++) {
      int port = FIRST_PORT + Math.floorMod(NEXT.getAndIncrement(), PORTS);
      if (bindable(port)) {
        return port;
      }
    }
    throw new IllegalStateException("no free port in " + FIRST_PORT + "-" + (FIRST_PORT + PORTS));
  }

  private static boolean bindable(int port) {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(port));
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  /** An environment on the infra host {@code env} ("staging" or "production") with fresh ports. */
  public static EnvironmentSpec environment(String env) {
    int nginx = freePort();
    SlotPorts slots = new SlotPorts(freePort(), freePort());
    int sshPort = env.equals("staging") ? 2222 : 2223;
    return new EnvironmentSpec(
        "http://127.0.0.1:" + nginx,
        List.of(new HostSpec(env + "-1", "127.0.0.1", sshPort, "release-deploy", nginx)),
        slots,
        "/healthz",
        Duration.ofMinutes(30));
  }

  public static Path sshdLog(String env) {
    return Infra.dir().resolve("hosts/" + env + "/sshd.log");
  }

  public static long sessionsOpened(String env) {
    try {
      return Files.readAllLines(sshdLog(env)).stream()
          .filter(l -> l.contains("Accepted publickey"))
          .count();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Whether the container of this service's slot runs on the environment's host. */
  public static boolean slotRunning(String service, String env, String slot) {
    return !Infra.run(
            Infra.dir(),
            "/usr/bin/docker",
            "ps",
            "-q",
            "--filter",
            "name=^" + service + "-" + env + "-" + slot + "$")
        .isBlank();
  }

  /** Removes what a test service left on both hosts, staging and production. */
  public static void cleanUp(String service) {
    cleanUp(service, "staging");
    cleanUp(service, "production");
  }

  /** Removes what a test service left on a host: its containers and its nginx site. */
  public static void cleanUp(String service, String env) {
    Path nginx = Infra.dir().resolve("hosts/" + env + "/nginx");
    Infra.run(
        nginx,
        "sh",
        "-c",
        "docker ps -aq --filter name='^"
            + service
            + "-' | xargs -r docker rm -f >/dev/null; "
            + "rm -f sites/"
            + service
            + ".conf* upstreams/"
            + service
            + ".conf*; "
            + "nginx -p "
            + nginx
            + " -c "
            + nginx
            + "/nginx.conf -s reload");
  }
}
