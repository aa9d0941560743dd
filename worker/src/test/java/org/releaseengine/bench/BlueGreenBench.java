package org.releaseengine.bench;

import io.temporal.activity.ActivityOptions;
import io.temporal.testing.TestActivityEnvironment;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.UUID;
import org.releaseengine.EngineNames;
import org.releaseengine.TestSigners;
import org.releaseengine.bluegreen.BlueGreenDeployer;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.RollbackRequest;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.SshConnections;
import org.releaseengine.stage.DeployActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.worker.EnvironmentGatewayImpl;

/**
 * bench/bluegreen.sh: production of a service released twice through the real engine, under a load
 * generator (JDK HttpClient, 8 threads paced to 2,000 req/s, loopback) for at least 20 s, while
 * nginx is switched four times directly and the engine rolls back five times by itself and five
 * times from bin/release-cli.
 */
public final class BlueGreenBench {

  private static final String SERVICE = "bgbench";
  private static final Duration MIN_LOAD = Duration.ofSeconds(20);

  /** Above the 1,500 req/s the issue asks for, below what would leave the two cores no room. */
  private static final int REQUESTS_PER_SECOND = 2000;

  private BlueGreenBench() {}

  public static void main(String[] args) throws Exception {
    EnvironmentSpec staging = TestHosts.environment("staging");
    EnvironmentSpec production = TestHosts.environment("production");
    ExampleRepo repo = ExampleRepo.create();
    String v1 = repo.commit("", "v1");
    String v2 = repo.commit("", "v2");
    TestSigners signers =
        TestSigners.create(Path.of("target/bench-signers").toAbsolutePath(), List.of("bench"));
    try (BenchEngine engine = new BenchEngine()) {
      ReleaseSpec spec = BenchEngine.spec(SERVICE, repo.dir(), staging, production);
      ImageRef image1 = engine.release(spec, v1).image();
      ImageRef image2 = engine.release(spec, v2).image(); // v2 live on green, v1 warm on blue
      System.out.println("released " + v1 + " and " + v2 + " to " + production.url());

      LoadGenerator load =
          new LoadGenerator(
                  production.url() + "/hello",
                  8,
                  REQUESTS_PER_SECOND,
                  Duration.ofMinutes(3),
                  v1,
                  v2)
              .start();
      long loadStart = System.nanoTime();
      Thread.sleep(2000);

      List<Long> switches = switches(engine, production, image1, image2, load);
      List<Long> engineRollbacks = new ArrayList<>();
      List<Long> cliRollbacks = new ArrayList<>();
      String[] targets = {v1, v2, v1, v2, v1};
      for (String sha : targets) {
        engineRollbacks.add(engineRollback(engine, load, sha));
      }
      // from here on the policy takes signed decisions, as an operator's does: the CLI signs
      engine.allowedSigners = signers.allowedSignersFile();
      String key = signers.key("bench").toString();
      for (String sha : new String[] {v2, v1, v2, v1, v2}) {
        cliRollbacks.add(ReleaseCliRuns.rollback(engine, load, SERVICE, sha, key));
      }
      long remaining = MIN_LOAD.toNanos() - (System.nanoTime() - loadStart);
      if (remaining > 0) {
        Thread.sleep(remaining / 1_000_000);
      }
      load.close();

      System.out.printf(
          "load: %d requests, %d failed, %.0f req/s%s%n",
          load.sent(),
          load.failed(),
          load.requestsPerSecond(),
          load.failed() > 0 ? " (first failure: " + load.firstFailure() + ")" : "");
      System.out.println(
          "switch ms (switch command to first answer of the new version): " + switches);
      System.out.println(
          "rollback ms, engine (rollback received to first answer of the old version): "
              + engineRollbacks);
      System.out.println(
          "rollback ms, cli (bin/release-cli invoked to first answer of the old version): "
              + cliRollbacks);
      System.out.printf(
          "requests=%d failed=%d rps=%.0f switch_ms_max=%d rollback_engine_ms_p50=%d rollback_cli_ms_p50=%d%n",
          load.sent(),
          load.failed(),
          load.requestsPerSecond(),
          Collections.max(switches),
          median(engineRollbacks),
          median(cliRollbacks));
    } finally {
      TestHosts.cleanUp(SERVICE);
    }
    System.exit(0);
  }

  /**
   * Four direct switches between the two warm slots, ending where production started (v2, green).
   */
  private static List<Long> switches(
      BenchEngine engine,
      EnvironmentSpec production,
      ImageRef image1,
      ImageRef image2,
      LoadGenerator load)
      throws InterruptedException {
    TestActivityEnvironment activities = TestActivityEnvironment.newInstance();
    activities.registerActivitiesImplementations(
        new BlueGreenDeployer(engine.hosts, new SshConnections()));
    DeployActivities deployer =
        activities.newActivityStub(
            DeployActivities.class,
            ActivityOptions.newBuilder().setStartToCloseTimeout(Duration.ofMinutes(1)).build());
    List<Long> latencies = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      boolean toV1 = i % 2 == 0;
      ImageRef image = toV1 ? image1 : image2;
      load.watchFor(image.sha());
      long start = System.nanoTime();
      deployer.switchTo(
          new SlotTarget(SERVICE, "production", production, toV1 ? Slot.BLUE : Slot.GREEN, image));
      latencies.add((load.awaitWatched(Duration.ofSeconds(10)) - start) / 1_000_000);
      Thread.sleep(500);
    }
    activities.close();
    return latencies;
  }

  private static long engineRollback(BenchEngine engine, LoadGenerator load, String sha)
      throws Exception {
    String id = "bench-" + UUID.randomUUID();
    load.watchFor(sha);
    long start = System.nanoTime();
    new EnvironmentGatewayImpl(engine.client)
        .submitRollback(SERVICE, "production", new RollbackRequest(sha, "bench", id, null));
    long ms = (load.awaitWatched(Duration.ofSeconds(30)) - start) / 1_000_000;
    EnvironmentWorkflow env =
        engine.client.newWorkflowStub(
            EnvironmentWorkflow.class, EngineNames.environmentId(SERVICE, "production"));
    while (env.view().operation(id) == null || !env.view().operation(id).finished()) {
      Thread.sleep(20);
    }
    Thread.sleep(300);
    return ms;
  }

  static long median(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return sorted.get(sorted.size() / 2);
  }
}
