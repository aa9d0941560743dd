package org.releaseengine.worker;

import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import javax.net.ssl.SSLContext;
import org.releaseengine.audit.AuditFile;
import org.releaseengine.bluegreen.BlueGreenDeployer;
import org.releaseengine.bluegreen.CanaryDeployer;
import org.releaseengine.client.ConnectionSettingException;
import org.releaseengine.docker.DockerEngine;
import org.releaseengine.docker.ImageBuilder;
import org.releaseengine.docker.SealedRunner;
import org.releaseengine.e2e.E2eRunner;
import org.releaseengine.metrics.MetricsActivity;
import org.releaseengine.policy.PolicyGate;
import org.releaseengine.providers.Providers;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.registry.RegistryLookup;
import org.releaseengine.scan.ScanRunner;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.slack.SlackNotifier;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.tls.ContainerCa;
import org.releaseengine.tls.ExtraCas;
import org.releaseengine.verify.HttpVerifier;
import org.releaseengine.verify.TrafficSender;
import org.releaseengine.worker.web.Dashboard;
import org.releaseengine.worker.web.WorkerMetrics;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * {@code bin/release-worker [--dev [--dev-port N]]}: with {@code --dev} it first starts the
 * embedded Temporal server on 127.0.0.1:7233 in this process (zero set-up); otherwise it connects
 * to TEMPORAL_ADDRESS.
 */
public final class WorkerMain {

  /** The command line. */
  @Command(
      name = "release-worker",
      description = "The release engine's worker.",
      footer = {
        "env: TEMPORAL_ADDRESS (default 127.0.0.1:7233), TEMPORAL_NAMESPACE (default default);",
        "TLS: TEMPORAL_TLS_CERT, TEMPORAL_TLS_KEY (client certificate and key files),",
        "TEMPORAL_TLS_CA (CA file to trust, not the system's), TEMPORAL_TLS_SERVER_NAME,",
        "TEMPORAL_TLS=true (TLS, system CAs), TEMPORAL_API_KEY (a bearer token; TLS on)."
      })
  static final class Arguments {

    @Option(
        names = "--dev",
        description = "run the embedded Temporal server on 127.0.0.1:7233 in this process")
    boolean dev;

    @Option(names = "--dev-port", paramLabel = "N", description = "another loopback port for it")
    Integer devPort;

    @Option(
        names = {"-h", "--help"},
        usageHelp = true,
        description = "show this help and exit")
    boolean help;
  }

  /** Either arguments to run with, or the exit code the command line has already decided. */
  record Parsed(Arguments arguments, int exitCode) {}

  private WorkerMain() {}

  /**
   * Reads the command line; help goes to {@code out}, a bad command line is one line on {@code
   * err}.
   */
  static Parsed parse(String[] args, PrintWriter out, PrintWriter err) {
    Arguments arguments = new Arguments();
    CommandLine command = new CommandLine(arguments);
    try {
      command.parseArgs(args);
      if (arguments.devPort != null && !arguments.dev) {
        throw new ParameterException(command, "--dev-port needs --dev");
      }
      if (arguments.devPort != null && (arguments.devPort < 1 || arguments.devPort > 65535)) {
        throw new ParameterException(command, "--dev-port must be 1-65535");
      }
    } catch (ParameterException e) {
      err.println("release-worker: " + e.getMessage() + " (see release-worker --help)");
      err.flush();
      return new Parsed(null, 2);
    }
    if (command.isUsageHelpRequested()) {
      command.usage(out);
      out.flush();
      return new Parsed(null, 0);
    }
    return new Parsed(arguments, 0);
  }

  public static void main(String[] args) throws InterruptedException {
    Parsed parsed =
        parse(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
    if (parsed.arguments() == null) {
      System.exit(parsed.exitCode());
    }
    Arguments arguments = parsed.arguments();
    Settings settings;
    try {
      settings = Settings.fromEnvironment();
    } catch (BadSetting e) {
      System.err.println("release-worker: " + e.getMessage());
      System.exit(2);
      return;
    }
    List<AutoCloseable> running = new ArrayList<>();
    // the Temporal SDK's metrics (the embedded --dev engine reports none), for GET /metrics
    WorkerMetrics metrics = new WorkerMetrics(java.time.Duration.ofSeconds(10));
    running.add(metrics);
    String ready;
    try {
      ready = start(arguments, settings, metrics, running);
    } catch (RuntimeException | java.io.IOException e) {
      System.err.println(
          "release-worker: cannot start: "
              + (arguments.dev ? Optional.<String>empty() : settings.config().temporal().explain(e))
                  .orElseGet(e::getMessage));
      closeAll(running);
      System.exit(5);
      return;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeAll(running);
                  stopped.countDown();
                }));
    System.out.println("release-worker ready: " + ready);
    stopped.await();
  }

  /**
   * What the worker reads before it starts: its configuration, secrets and the operator's policy.
   */
  private record Settings(WorkerConfig config, SecretStore secrets, PolicyGate policy) {

    /**
     * Reads them from the environment.
     *
     * @throws BadSetting saying which one is wrong, and why
     */
    static Settings fromEnvironment() throws BadSetting {
      WorkerConfig config;
      try {
        config = WorkerConfig.fromEnvironment(System.getenv());
      } catch (ConnectionSettingException e) {
        throw new BadSetting(e.getMessage());
      }
      if (config.policyFile() == null || config.policyFile().isBlank()) {
        throw new BadSetting(
            "RELEASE_POLICY_FILE is not set: the worker needs the operator's policy"
                + " (who may release what, where; see docs/policy.md)");
      }
      SecretStore secrets;
      try {
        secrets = SecretStore.fromEnvironment(System.getenv());
      } catch (IllegalArgumentException e) {
        throw new BadSetting(e.getMessage());
      }
      HostDirectory hosts;
      try {
        hosts = hosts(config);
      } catch (RuntimeException e) {
        throw new BadSetting("RELEASE_HOSTS_FILE " + e.getMessage());
      }
      try {
        return new Settings(
            config,
            secrets,
            PolicyGate.of(Path.of(config.policyFile()), secrets)
                .withSlack(config.slack().signingSecret(), config.slack().users())
                .withHosts(hosts));
      } catch (IllegalArgumentException e) {
        throw new BadSetting("RELEASE_POLICY_FILE " + e.getMessage());
      }
    }
  }

  /** A setting the worker cannot start with; exit code 2. */
  private static final class BadSetting extends Exception {
    BadSetting(String message) {
      super(message);
    }
  }

  /**
   * Starts the worker (on the embedded server with {@code --dev}), then Slack's interactions and
   * the dashboard when configured, adding each to {@code running} (the first to close first);
   * returns what the ready line says of the Temporal server.
   */
  private static String start(
      Arguments arguments, Settings settings, WorkerMetrics metrics, List<AutoCloseable> running)
      throws java.io.IOException {
    WorkerConfig config = settings.config();
    String address = config.temporal().address();
    String namespace = config.namespace();
    String serverName;
    WorkflowClient client;
    if (arguments.dev) {
      int devPort = arguments.devPort == null ? DevServer.DEFAULT_PORT : arguments.devPort;
      DevEngine engine =
          DevEngine.start(devPort, activities(config, settings.policy(), settings.secrets()));
      running.add(engine);
      address = engine.address();
      namespace = "default";
      client = engine.client();
      serverName = engine.server();
    } else {
      EngineWorker worker =
          EngineWorker.start(
              config.temporal(),
              namespace,
              metrics.temporalScope(),
              activities(config, settings.policy(), settings.secrets()));
      running.add(worker);
      client = worker.client();
      serverName = worker.server() + " (" + config.temporal().describe() + ")";
    }
    if (config.slack().interactive()) {
      running.add(0, slackInteractions(config.slack(), settings.policy(), client));
    }
    dashboard(config.web(), client, metrics).ifPresent(d -> running.add(0, d));
    return "Temporal at "
        + address
        + ", namespace "
        + namespace
        + ", "
        + (arguments.dev ? "embedded " : "")
        + serverName;
  }

  /** The endpoint for Slack's buttons, printed as {@code Slack interactions on http://…}. */
  private static SlackInteractions slackInteractions(
      WorkerConfig.Slack slack, PolicyGate policy, WorkflowClient client)
      throws java.io.IOException {
    SlackInteractions interactions =
        new SlackInteractions(
            new InetSocketAddress(slack.bind(), slack.port()),
            slack.signingSecret(),
            policy.slackUsers(),
            client);
    System.out.println(
        "Slack interactions on http://"
            + slack.bind()
            + ":"
            + slack.port()
            + "/slack/interactions");
    return interactions;
  }

  /**
   * The read-only dashboard, printed as {@code dashboard: http://…}. It is not what the worker is
   * for: when its address is taken (another worker on this machine), the worker runs without it.
   */
  static Optional<Dashboard> dashboard(
      WorkerConfig.Web web, WorkflowClient client, WorkerMetrics metrics) {
    try {
      Dashboard dashboard =
          new Dashboard(
              new InetSocketAddress(web.bind(), web.port()),
              client,
              web.temporalUi(),
              metrics::scrape);
      System.out.println("dashboard: " + dashboard.url());
      return Optional.of(dashboard);
    } catch (java.io.IOException e) {
      System.err.println(
          "release-worker: no dashboard: cannot listen on "
              + web.bind()
              + ":"
              + web.port()
              + " (RELEASE_WEB_ADDRESS): "
              + e.getMessage());
      return Optional.empty();
    }
  }

  /** The activity implementations this worker offers. */
  static Object[] activities(WorkerConfig config, PolicyGate policy, SecretStore secrets) {
    HostDirectory hosts = hosts(config);
    SshConnections ssh = new SshConnections();
    DockerEngine docker = new DockerEngine(config.dockerHost());
    SealedRunner sealed =
        new SealedRunner(docker, WorkerSecrets.redactor(config, System.getenv(), hosts));
    // the registry logins and CA (RELEASE_REGISTRY_AUTH, RELEASE_REGISTRY_CA): read once, a bad
    // one stops the start
    RegistryAccess registries = RegistryAccess.fromEnvironment(System.getenv());
    // the CA of the environments' https URLs (RELEASE_PROXY_CA), beside the JDK's
    SSLContext proxies = ExtraCas.fromEnvironment(System.getenv(), "RELEASE_PROXY_CA");
    // each host's proxy is the one the operator's policy names for it at the time of the step
    Providers providers = Providers.standard().proxiesBy(policy::proxyOf);
    return new Object[] {
      policy,
      new ImageBuilder(docker, registries),
      new RegistryLookup(registries),
      new BlueGreenDeployer(hosts, ssh, secrets, registries, providers),
      new CanaryDeployer(hosts, ssh, secrets, registries, providers),
      new ScanRunner(sealed),
      // the same CA for the E2E suite's container, when staging's url is https
      new E2eRunner(sealed, ContainerCa.fromEnvironment(System.getenv(), "RELEASE_PROXY_CA")),
      new HttpVerifier(proxies),
      new TrafficSender(proxies),
      new MetricsActivity(providers::metrics),
      AuditFile.fromEnvironment(System.getenv()),
      new SlackNotifier(
          config.slack().botToken(), config.slack().channel(), config.slack().apiUrl())
    };
  }

  /** The per-host configuration (RELEASE_HOSTS_FILE), or none. */
  static HostDirectory hosts(WorkerConfig config) {
    return config.hostsFile() == null
        ? new HostDirectory(Map.of())
        : HostDirectory.load(Path.of(config.hostsFile()));
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
