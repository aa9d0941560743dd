package org.releaseengine.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.SlotPorts;

/** Environments on the infra's staging/production hosts, on ports no other test uses. */
public final class TestHosts {

  private TestHosts() {}

  public static int freePort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
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
