package org.releaseengine.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.LoadGenerator;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.CanarySpec;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.VerificationSpec;

/**
 * The production host of scripts/infra.sh as the metric benchmarks and tests use it: nginx on
 * 19080, slots on 19081/19082 (the ports its Prometheus scrapes, labelled by environment and slot),
 * and the example app's 5xx ratio per slot as the check.
 */
public final class Production {

  public static final String URL = "http://127.0.0.1:19080";
  static final String ERROR_RATIO =
      "(sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\","
          + "status=~\"5..\"}[5s])) or vector(0)) / sum(rate(http_requests_total{environment=\"production\",slot=\"$slot\"}[5s]))";

  private Production() {}

  /** At most 5% of the slot's answers may be 5xx; no traffic yet is no verdict. */
  public static MetricCheck errorRatio(Duration interval, int count, int failureLimit) {
    return new MetricCheck(
        "error-ratio",
        ERROR_RATIO,
        null,
        0.05,
        interval,
        count,
        failureLimit,
        MetricCheck.NoData.IGNORE);
  }

  /**
   * A release of the example app whose production is verified by {@code check} (and rolled out by
   * {@code steps}).
   */
  public static ReleaseSpec spec(
      String service,
      ExampleRepo repo,
      Duration rollbackWindow,
      MetricCheck check,
      CanaryStep... steps) {
    EnvironmentSpec production =
        new EnvironmentSpec(
            URL,
            List.of(new HostSpec("production-1", "127.0.0.1", 2223, "release-deploy", 19080)),
            new SlotPorts(19081, 19082),
            "/healthz",
            rollbackWindow,
            new VerificationSpec(Infra.env("RELEASE_PROMETHEUS"), List.of(check)),
            steps.length == 0 ? null : new CanarySpec(List.of(steps)));
    ReleaseSpec base =
        BenchEngine.spec(service, repo.dir(), TestHosts.environment("staging"), production);
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(base.environments());
    return new ReleaseSpec(
        service, base.source(), base.image(), base.approval(), envs, null, null, null);
  }

  /** The version production answers with now. */
  public static String version() throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(URL + "/version")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body()
        .trim();
  }

  /**
   * The share of good answers from {@code canary}, in percent, over the next {@code answers}
   * answers.
   */
  public static double shareOf(LoadGenerator load, String canary, String stable, int answers)
      throws InterruptedException {
    load.countAfresh();
    while (load.answers(canary) + load.answers(stable) < answers) {
      Thread.sleep(20);
    }
    long fromCanary = load.answers(canary);
    return 100.0 * fromCanary / (fromCanary + load.answers(stable));
  }
}
