package org.releaseengine.worker;

import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.releaseengine.bluegreen.BlueGreenDeployer;
import org.releaseengine.bluegreen.CanaryDeployer;
import org.releaseengine.docker.DockerEngine;
import org.releaseengine.docker.ImageBuilder;
import org.releaseengine.e2e.E2eRunner;
import org.releaseengine.metrics.PrometheusMetrics;
import org.releaseengine.registry.RegistryLookup;
import org.releaseengine.scan.ScanRunner;
import org.releaseengine.slack.SlackNotifier;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.verify.HttpVerifier;

/**
 * {@code bin/release-worker [--dev]}: with {@code --dev} it first starts the embedded Temporal
 * server on 127.0.0.1:7233 in this process (zero set-up); otherwise it connects to
 * TEMPORAL_ADDRESS.
 */
public final class WorkerMain {

  private WorkerMain() {}

  public static void main(String[] args) throws InterruptedException {
    List<String> arguments = List.of(args);
    boolean dev = arguments.contains("--dev");
    int devPort =
        arguments.contains("--dev-port")
            ? Integer.parseInt(arguments.get(arguments.indexOf("--dev-port") + 1))
            : DevServer.DEFAULT_PORT;
    if (arguments.contains("--help")) {
      System.out.println(
          "usage: release-worker [--dev [--dev-port N]]\n"
              + "  --dev         run the embedded Temporal server on 127.0.0.1:7233 in this process\n"
              + "  --dev-port N  another loopback port for it\n"
              + "env: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default default)");
      return;
    }
    WorkerConfig config = WorkerConfig.fromEnvironment(System.getenv());
    String address = config.temporalAddress();
    String namespace = config.namespace();
    List<AutoCloseable> running = new ArrayList<>();
    String serverName = "";
    try {
      EngineWorker worker;
      if (dev) {
        DevServer server = DevServer.start(devPort);
        running.add(server);
        address = server.address();
        namespace = "default";
        worker = EngineWorker.startBeside(server, activities(config));
      } else {
        worker = EngineWorker.start(address, namespace, activities(config));
      }
      running.add(0, worker);
      serverName = worker.server();
      if (config.slack().interactive()) {
        running.add(
            0,
            new SlackInteractions(
                new InetSocketAddress(config.slack().bind(), config.slack().port()),
                config.slack().signingSecret(),
                config.slack().users(),
                worker.client()));
        System.out.println(
            "Slack interactions on http://"
                + config.slack().bind()
                + ":"
                + config.slack().port()
                + "/slack/interactions");
      }
    } catch (RuntimeException | java.io.IOException e) {
      System.err.println("release-worker: cannot start: " + e.getMessage());
      closeAll(running);
      System.exit(5);
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeAll(running);
                  stopped.countDown();
                }));
    System.out.println(
        "release-worker ready: Temporal at "
            + address
            + ", namespace "
            + namespace
            + ", "
            + (dev ? "embedded " : "")
            + serverName);
    stopped.await();
  }

  /** The activity implementations this worker offers. */
  static Object[] activities(WorkerConfig config) {
    HostDirectory hosts =
        config.hostsFile() == null
            ? new HostDirectory(Map.of())
            : HostDirectory.load(Path.of(config.hostsFile()));
    SshConnections ssh = new SshConnections();
    return new Object[] {
      new ImageBuilder(new DockerEngine(config.dockerHost())),
      new RegistryLookup(),
      new BlueGreenDeployer(hosts, ssh),
      new CanaryDeployer(hosts, ssh),
      new ScanRunner(),
      new E2eRunner(),
      new HttpVerifier(),
      new PrometheusMetrics(),
      new SlackNotifier(
          config.slack().botToken(), config.slack().channel(), config.slack().apiUrl())
    };
  }

  private static void closeAll(List<AutoCloseable> running) {
    for (AutoCloseable c : running) {
      try {
        c.close();
      } catch (Exception ignored) {
        // shutting down: nothing more to do
      }
    }
  }
}
