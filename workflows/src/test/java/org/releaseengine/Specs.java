package org.releaseengine;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.CanarySpec;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseRequest;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.model.TrafficSpec;
import org.releaseengine.model.VerificationSpec;

/** Release specs for tests: alice, bob and carol approve; 24 h approval timeout. */
public final class Specs {

  public static final String SHA_1 = "1111111111111111111111111111111111111111";
  public static final String SHA_2 = "2222222222222222222222222222222222222222";
  public static final String SHA_3 = "3333333333333333333333333333333333333333";

  private Specs() {}

  public static ReleaseSpec spec(String service) {
    return spec(
        service,
        new ApprovalPolicy(List.of("alice", "bob", "carol"), 1, false, Duration.ofHours(24)));
  }

  public static ReleaseSpec spec(String service, ApprovalPolicy approval) {
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    envs.put(ReleaseSpec.STAGING, environment(18080));
    envs.put(ReleaseSpec.PRODUCTION, environment(19080));
    return new ReleaseSpec(
        service,
        new SourceSpec("/src/" + service, ".", "Dockerfile"),
        new ImageSpec("127.0.0.1:5000/" + service),
        approval,
        envs,
        null,
        null,
        null);
  }

  /** A spec whose release runs a scanner and an E2E suite. */
  public static ReleaseSpec withGates(String service) {
    ReleaseSpec plain = spec(service);
    return new ReleaseSpec(
        service,
        plain.source(),
        plain.image(),
        plain.approval(),
        plain.environments(),
        List.of(
            new ScannerSpec(
                "sast",
                "scan.sh",
                "out.sarif",
                ReportFormat.SARIF,
                ScannerSpec.FailOn.ERROR,
                Duration.ofMinutes(5),
                List.of())),
        new E2eSpec("e2e.sh", "e2e-results", Duration.ofMinutes(5)),
        plain.notifications());
  }

  /** A spec whose production deploys are verified by one metric check. */
  public static ReleaseSpec withVerification(String service, MetricCheck check) {
    ReleaseSpec plain = spec(service);
    EnvironmentSpec production = plain.environment(ReleaseSpec.PRODUCTION);
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(plain.environments());
    envs.put(
        ReleaseSpec.PRODUCTION,
        new EnvironmentSpec(
            production.url(),
            production.hosts(),
            production.slots(),
            production.healthPath(),
            production.rollbackWindow(),
            new VerificationSpec("http://127.0.0.1:9090", List.of(check))));
    return new ReleaseSpec(
        service, plain.source(), plain.image(), plain.approval(), envs, null, null, null);
  }

  /**
   * A spec whose production deploys go through these canary steps, analysed by one metric check.
   */
  public static ReleaseSpec withCanary(String service, MetricCheck check, CanaryStep... steps) {
    ReleaseSpec verified = withVerification(service, check);
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(verified.environments());
    envs.put(
        ReleaseSpec.PRODUCTION,
        verified.environment(ReleaseSpec.PRODUCTION).withCanary(new CanarySpec(List.of(steps))));
    return new ReleaseSpec(
        service, verified.source(), verified.image(), verified.approval(), envs, null, null, null);
  }

  /** The same spec with {@code load} sent during production's analyses (canary and after). */
  public static ReleaseSpec withTraffic(ReleaseSpec spec, TrafficSpec load) {
    EnvironmentSpec p = spec.environment(ReleaseSpec.PRODUCTION);
    VerificationSpec v = p.verification();
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(spec.environments());
    envs.put(
        ReleaseSpec.PRODUCTION,
        new EnvironmentSpec(
            p.url(),
            p.hosts(),
            p.slots(),
            p.healthPath(),
            p.rollbackWindow(),
            new VerificationSpec(v.prometheus(), v.checks(), load),
            p.canary(),
            p.drainTimeout(),
            p.healthStatus(),
            p.healthTimeout(),
            p.versionPath(),
            p.stopTimeout(),
            p.container()));
    return new ReleaseSpec(
        spec.service(), spec.source(), spec.image(), spec.approval(), envs, null, null, null);
  }

  /** The same environments without metric analysis after a deploy (a canary keeps its steps). */
  public static Map<String, EnvironmentSpec> withoutVerification(
      Map<String, EnvironmentSpec> environments) {
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    environments.forEach(
        (name, e) ->
            envs.put(
                name,
                new EnvironmentSpec(
                    e.url(),
                    e.hosts(),
                    e.slots(),
                    e.healthPath(),
                    e.rollbackWindow(),
                    null,
                    e.canary())));
    return envs;
  }

  /**
   * A spec that lists its environments, as the policy admitted it: {@code dev} with an E2E suite,
   * {@code staging}, then {@code production-eu} and {@code production-us}, each waiting for its own
   * approval of one of alice, bob and carol; every environment verified.
   */
  public static ReleaseSpec listed(String service) {
    ReleaseSpec plain = spec(service);
    ApprovalPolicy approval = plain.approval();
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    envs.put("dev", environment(17080));
    envs.put("staging", environment(18080));
    envs.put("production-eu", environment(19080));
    envs.put("production-us", environment(20080));
    E2eSpec suite = new E2eSpec("e2e.sh", "e2e-results", Duration.ofMinutes(5));
    return new ReleaseSpec(
        service,
        plain.source(),
        plain.image(),
        approval,
        envs,
        null,
        null,
        null,
        List.of(
            new EnvironmentStep("dev", null, suite, true),
            new EnvironmentStep("staging", null, null, true),
            new EnvironmentStep("production-eu", approval, null, true),
            new EnvironmentStep("production-us", approval, null, true)));
  }

  public static EnvironmentSpec environment(int nginxPort) {
    return new EnvironmentSpec(
        "http://127.0.0.1:" + nginxPort,
        List.of(new HostSpec("host-" + nginxPort, "127.0.0.1", 2222, "deploy", nginxPort)),
        new SlotPorts(nginxPort + 1, nginxPort + 2),
        "/healthz",
        Duration.ofMinutes(30));
  }

  public static ReleaseRequest request(ReleaseSpec spec, String sha, String requester) {
    return new ReleaseRequest(spec, sha, requester);
  }
}
