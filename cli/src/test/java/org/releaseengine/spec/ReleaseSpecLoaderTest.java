package org.releaseengine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.model.TrafficSpec;

/** release.yaml to ReleaseSpec: defaults, every field checked, problems named by their path. */
class ReleaseSpecLoaderTest {

  private static final String MINIMAL =
      """
      service: shop
      source:
        git: .
      image:
        repository: 127.0.0.1:5000/team/shop
      approval:
        approvers: [alice, bob.smith@example.com]
      environments:
        staging:
          url: http://127.0.0.1:18080
          slots: {blue: 18081, green: 18082}
          hosts:
            - {name: staging-1, address: 127.0.0.1, nginxPort: 18080}
        production:
          url: http://127.0.0.1:19080
          slots: {blue: 19081, green: 19082}
          hosts:
            - {name: production-1, address: prod-1.example.com, port: 2223, user: release, nginxPort: 19080}
      """;

  private static final String PRODUCTION_URL = "    url: http://127.0.0.1:19080\n";

  @TempDir Path dir;

  /** The minimal file with {@code fields} added to its production environment. */
  private static String production(String fields) {
    return MINIMAL.replace(PRODUCTION_URL, PRODUCTION_URL + fields.indent(4));
  }

  @Test
  void approvalAndHostsMayBeLeftToTheOperatorsPolicy() throws Exception {
    ReleaseSpec spec =
        load(
            MINIMAL
                .replace("approval:\n  approvers: [alice, bob.smith@example.com]\n", "")
                .replaceAll("\n {4}hosts:\n {6}- \\{[^\n]*", ""));
    assertEquals(null, spec.approval());
    assertEquals(List.of(), spec.environments().get("staging").hosts());
    assertEquals(List.of(), spec.environments().get("production").hosts());
  }

  @Test
  void aMinimalFileGetsItsDefaults() throws Exception {
    ReleaseSpec spec = load(MINIMAL);
    assertEquals("shop", spec.service());
    assertEquals(dir.toString(), spec.source().git());
    assertEquals(".", spec.source().context());
    assertEquals("Dockerfile", spec.source().dockerfile());
    assertEquals("127.0.0.1:5000/team/shop", spec.image().repository());
    assertEquals(List.of("alice", "bob.smith@example.com"), spec.approval().approvers());
    assertEquals(1, spec.approval().required());
    assertEquals(false, spec.approval().allowSelfApproval());
    assertEquals(Duration.ofHours(24), spec.approval().timeout());
    assertEquals(List.of("staging", "production"), List.copyOf(spec.environments().keySet()));
    EnvironmentSpec staging = spec.environments().get("staging");
    assertEquals(new SlotPorts(18081, 18082), staging.slots());
    assertEquals("/healthz", staging.healthPath());
    assertEquals(Duration.ofMinutes(30), staging.rollbackWindow());
    assertEquals(
        List.of(new HostSpec("staging-1", "127.0.0.1", 22, "deploy", 18080)), staging.hosts());
    assertEquals(
        new HostSpec("production-1", "prod-1.example.com", 2223, "release", 19080),
        spec.environments().get("production").hosts().get(0));
    assertNull(staging.verification());
    assertNull(staging.canary());
    assertNull(spec.scanners());
    assertNull(spec.e2e());
    assertNull(spec.notifications());
  }

  @Test
  void gatesCanaryAndNotifications() throws Exception {
    ReleaseSpec spec =
        load(
            production(
                    """
                    rollbackWindow: 10m
                    healthPath: /ready
                    verification:
                      prometheus: http://127.0.0.1:9090
                      checks:
                        - {name: errors, query: 'sum(rate(x[1m]))', max: 0.01}
                        - {name: latency, query: p95, min: 0, max: 250, interval: 5s, count: 3, failureLimit: 1, noData: fail}
                    canary:
                      steps:
                        - setWeight: 10
                        - pause: 90s
                        - analysis: [errors]
                        - setWeight: 50
                        - pause: until-promoted
                        - analysis: all
                    """)
                + """
                runner: 127.0.0.1:5000/team/runner:1
                scanners:
                  - {name: sast, command: sh scan.sh, report: out/sast.sarif, format: sarif, timeout: 5m}
                  - name: sca
                    command: osv-scanner --format json > osv.json
                    report: osv.json
                    format: osv
                    failOn: critical
                    allowlist:
                      - {id: GHSA-1234, reason: not reachable, expires: 2027-01-31}
                e2e: {command: ./run-e2e.sh, junitReports: target/e2e}
                notifications: {slackChannel: '#shop-releases'}
                """);
    EnvironmentSpec production = spec.environments().get("production");
    assertEquals(Duration.ofMinutes(10), production.rollbackWindow());
    assertEquals("/ready", production.healthPath());
    MetricCheck errors = production.verification().checks().get(0);
    assertEquals(Duration.ofSeconds(10), errors.interval());
    assertEquals(5, errors.count());
    assertEquals(0, errors.failureLimit());
    assertEquals(MetricCheck.NoData.IGNORE, errors.noData());
    MetricCheck latency = production.verification().checks().get(1);
    assertEquals(Duration.ofSeconds(5), latency.interval());
    assertEquals(MetricCheck.NoData.FAIL, latency.noData());
    assertEquals(
        List.of(
            CanaryStep.setWeight(10),
            CanaryStep.pause(Duration.ofSeconds(90)),
            CanaryStep.analysis(List.of("errors")),
            CanaryStep.setWeight(50),
            CanaryStep.pause(null),
            CanaryStep.analysis(List.of())),
        production.canary().steps());
    ScannerSpec sast = spec.scanners().get(0);
    assertEquals(ScannerSpec.FailOn.HIGH, sast.failOn());
    assertEquals(Duration.ofMinutes(5), sast.timeout());
    ScannerSpec sca = spec.scanners().get(1);
    assertEquals(ReportFormat.OSV, sca.format());
    assertEquals(ScannerSpec.FailOn.CRITICAL, sca.failOn());
    assertEquals(Duration.ofMinutes(10), sca.timeout());
    assertEquals(
        List.of(new ScannerSpec.AllowlistEntry("GHSA-1234", "not reachable", "2027-01-31")),
        sca.allowlist());
    assertEquals("127.0.0.1:5000/team/runner:1", sast.runner());
    assertNull(sast.env());
    assertEquals(GateNetwork.NONE, sast.network());
    assertEquals("./run-e2e.sh", spec.e2e().command());
    assertEquals("target/e2e", spec.e2e().junitReports());
    assertEquals("127.0.0.1:5000/team/runner:1", spec.e2e().runner());
    assertEquals("#shop-releases", spec.notifications().slackChannel());
  }

  @Test
  void everyProblemIsNamedByItsPath() {
    List<String> problems =
        problems(
            MINIMAL
                .replace("service: shop", "service: Shop")
                .replace("127.0.0.1:5000/team/shop", "127.0.0.1:5000/team/shop:latest")
                .replace("[alice, bob.smith@example.com]", "[alice, alice]")
                .replace("{blue: 19081, green: 19082}", "{blue: 19081, green: 19081}")
                .replace("nginxPort: 18080}", "nginxPort: 18081}")
                .replace("port: 2223", "port: 0")
                .replace("user: release", "user: Root")
                .replace("url: http://127.0.0.1:18080", "url: ftp://x\n    colour: blue"));
    assertEquals(
        List.of(
            "service: must be lowercase letters, digits and '-' (starting with a letter), got 'Shop'",
            "image.repository: must be an image repository such as 127.0.0.1:5000/team/app"
                + " (lowercase, no tag), got '127.0.0.1:5000/team/shop:latest'",
            "approval.approvers[1]: alice is listed twice",
            "environments.staging.colour: unknown field (expected one of canary, command, cpus,"
                + " drainTimeout, env, healthPath, healthStatus, healthTimeout, hosts, memory,"
                + " rollbackWindow, secrets, slots, stopTimeout, url, verification, versionPath,"
                + " volumes)",
            "environments.staging.url: must be an http(s) URL such as http://127.0.0.1:18080, got 'ftp://x'",
            "environments.staging.hosts[0].nginxPort: must differ from the slot ports",
            "environments.production.hosts[0].port: must be 1-65535",
            "environments.production.hosts[0].user: must be a Unix user name, got 'Root'",
            "environments.production.slots.green: must differ from blue"),
        problems);
  }

  @Test
  void valuesThatWouldReachAShellAreHeldToTheirPatterns() {
    List<String> problems =
        problems(
            MINIMAL
                    .replace("address: 127.0.0.1", "address: \"127.0.0.1;reboot\"")
                    .replace("address: prod-1.example.com", "address: -oProxyCommand=id")
                    .replace(PRODUCTION_URL, PRODUCTION_URL + "    healthPath: \"/healthz$(id)\"\n")
                    .replace("git: .", "git: \"https://example.com/x.git;id\"")
                + """
                scanners:
                  - {name: sast, command: "scan\\nreboot", report: ../secret, format: sarif, runner: r/x}
                """);
    assertEquals(
        List.of(
            "source.git: must be a plain git URL without spaces or shell characters",
            "environments.staging.hosts[0].address: must be a host name or IP address, got '127.0.0.1;reboot'",
            "environments.production.hosts[0].address: must be a host name or IP address, got '-oProxyCommand=id'",
            "environments.production.healthPath: must be a URL path such as /healthz, got '/healthz$(id)'",
            "scanners[0].command: must be a command on one line, got 'scan\\nreboot'",
            "scanners[0].report: must be a relative path inside the checkout, got '../secret'"),
        problems);
  }

  @Test
  void closedSetsAndRanges() {
    List<String> problems =
        problems(
            MINIMAL.replace(
                    "approvers: [alice, bob.smith@example.com]",
                    "approvers: [alice]\n  required: 2\n  timeout: 0s")
                + """
                runner: r/x
                scanners:
                  - {name: sca, command: scan, report: r.json, format: checkstyle, failOn: severe}
                  - {name: sast, command: scan, report: r.json, format: sarif, allowlist: [{id: X, expires: tomorrow}]}
                notifications: {slackChannel: releases}
                """);
    assertEquals(
        List.of(
            "approval.required: must be 1-1",
            "approval.timeout: must be a positive duration such as 90s, 30m or 24h",
            "scanners[0].format: unknown format 'checkstyle' (expected sarif, npm-audit or osv)",
            "scanners[0].failOn: unknown severity 'severe' (expected one of critical, high, moderate,"
                + " medium, low, error, warning, note)",
            "scanners[1].allowlist[0].expires: must be a date such as 2027-01-31",
            "scanners[1].allowlist[0].reason: required",
            "notifications.slackChannel: must be a Slack channel name (#releases) or id (C0123ABCD),"
                + " got 'releases'"),
        problems);
  }

  @Test
  void gateCommandsNameTheirRunnerAndDeclareTheirVariables() throws Exception {
    ReleaseSpec spec =
        load(
            MINIMAL
                + """
                runner: 127.0.0.1:5000/team/runner:1
                scanners:
                  - {name: sast, command: scan, report: r.sarif, format: sarif}
                  - name: sca
                    command: scan
                    report: r.json
                    format: osv
                    runner: 127.0.0.1:5000/team/osv@sha256:%s
                    network: outbound
                    env: {OSV_OFFLINE: "false", LEVEL: 3}
                e2e:
                  command: run
                  runner: 127.0.0.1:5000/team/e2e
                  env: {BROWSER: headless}
                """
                    .formatted("a".repeat(64)));
    assertEquals("127.0.0.1:5000/team/runner:1", spec.scanners().get(0).runner());
    assertEquals(GateNetwork.NONE, spec.scanners().get(0).network());
    ScannerSpec sca = spec.scanners().get(1);
    assertEquals("127.0.0.1:5000/team/osv@sha256:" + "a".repeat(64), sca.runner());
    assertEquals(GateNetwork.OUTBOUND, sca.network());
    assertEquals(Map.of("OSV_OFFLINE", "false", "LEVEL", "3"), sca.env());
    assertEquals("127.0.0.1:5000/team/e2e", spec.e2e().runner());
    assertEquals(Map.of("BROWSER", "headless"), spec.e2e().env());
  }

  @Test
  void aGateCommandWithoutARunnerOrWithBadVariablesIsRefused() {
    List<String> problems =
        problems(
            MINIMAL
                + """
                scanners:
                  - {name: sast, command: scan, report: r.sarif, format: sarif}
                  - name: sca
                    command: scan
                    report: r.json
                    format: osv
                    runner: "Team/Runner:latest"
                    network: host
                    env: {RELEASE_SHA: x, "1BAD": y, "OK": "two\\nlines", LIST: [a]}
                e2e: {command: run, env: {BASE_URL: http://elsewhere}}
                """);
    assertEquals(
        List.of(
            "scanners[0].runner: required: the image the scanner runs in (or a top-level runner)",
            "scanners[1].runner: must be an image such as 127.0.0.1:5000/team/runner:1 (lowercase"
                + " repository, optional tag or digest), got 'Team/Runner:latest'",
            "scanners[1].env.1BAD: must be a variable name (letters, digits and '_', not starting"
                + " with a digit)",
            "scanners[1].env.OK: must be a value on one line of at most 4096 characters",
            "scanners[1].env.LIST: must be a string",
            "scanners[1].env.RELEASE_SHA: is set by the engine and may not be declared",
            "scanners[1].network: must be none (the default) or outbound, got 'host'",
            "e2e.runner: required: the image the E2E suite runs in (or a top-level runner)",
            "e2e.env.BASE_URL: is set by the engine and may not be declared"),
        problems);
  }

  @Test
  void theExampleNamesItsRunner() throws SpecException {
    ReleaseSpec example =
        new ReleaseSpecLoader()
            .load(
                Path.of(System.getProperty("project.root", ".."))
                    .resolve("examples/hello-app/release.yaml"));
    assertEquals("release-engine/gate-runner:17-pmd7.27.0", example.scanners().get(0).runner());
    assertEquals("release-engine/gate-runner:17-pmd7.27.0", example.e2e().runner());
  }

  private static String withTraffic(String traffic) {
    return production(
        """
        verification:
          prometheus: http://127.0.0.1:9090
          checks:
            - {name: errors, query: 'sum(rate(x[1m]))', max: 0.01}
          traffic: %s
        """
            .formatted(traffic));
  }

  @Test
  void aVerificationNamesItsMetricProviderByKeyAndTheOlderFormStillReads() throws Exception {
    String named =
        production(
            """
            verification:
              prometheus: {address: http://127.0.0.1:9090}
              checks:
                - {name: errors, query: 'sum(rate(x[1m]))', max: 0.01}
            """);
    assertEquals(
        "http://127.0.0.1:9090", load(named).environment("production").verification().prometheus());
    assertEquals(
        load(named).environment("production").verification(),
        load(named.replace("{address: http://127.0.0.1:9090}", "http://127.0.0.1:9090"))
            .environment("production")
            .verification(),
        "both forms give the same verification");
    assertEquals(
        List.of(
            "environments.production.verification.prometheus.url: unknown field (expected one of"
                + " address)",
            "environments.production.verification.prometheus.address: required"),
        problems(named.replace("{address: http", "{url: http")));
  }

  @Test
  void verificationTrafficIsReadWithItsDefaults() throws Exception {
    TrafficSpec traffic =
        load(withTraffic("{path: /hello, rate: 10/s, duration: 20s}"))
            .environment("production")
            .verification()
            .traffic();
    assertEquals(new TrafficSpec("/hello", 10, Duration.ofSeconds(20)), traffic);
    assertEquals(200, traffic.planned());
    assertEquals(
        new TrafficSpec("/", 50, Duration.ofMinutes(5)),
        load(withTraffic("{rate: 50, duration: 5m}"))
            .environment("production")
            .verification()
            .traffic());
  }

  @Test
  void verificationTrafficIsBoundedAndEachWrongValueNamed() {
    String field = "environments.production.verification.traffic.";
    assertEquals(
        List.of(field + "rate: must be requests a second, 1-50, such as 10/s, got '51/s'"),
        problems(withTraffic("{rate: 51/s, duration: 20s}")));
    assertEquals(
        List.of(field + "rate: must be requests a second, 1-50, such as 10/s, got '0'"),
        problems(withTraffic("{rate: 0, duration: 20s}")));
    assertEquals(
        List.of(field + "rate: must be requests a second, 1-50, such as 10/s, got 'fast'"),
        problems(withTraffic("{rate: fast, duration: 20s}")));
    assertEquals(
        List.of(field + "duration: must be 1s to 5m (a bounded load)"),
        problems(withTraffic("{rate: 10/s, duration: 6m}")));
    assertEquals(
        List.of(
            field + "rate: required (requests a second, 1-50, such as 10/s)",
            field + "duration: required, at most 5m"),
        problems(withTraffic("{path: /}")));
    assertEquals(
        List.of(field + "path: must be a path such as /hello, got 'hello; rm'"),
        problems(withTraffic("{path: 'hello; rm', rate: 1, duration: 1s}")));
    assertEquals(
        List.of(field + "burst: unknown field (expected one of duration, path, rate)"),
        problems(withTraffic("{burst: 5, rate: 1, duration: 1s}")));
  }

  @Test
  void canaryStepsAreCheckedOneByOne() {
    List<String> problems =
        problems(
            production(
                """
                canary:
                  steps:
                    - setWeight: 100
                    - pause: soon
                    - {setWeight: 5, pause: 1m}
                    - analysis: all
                """));
    assertEquals(
        List.of(
            "environments.production.canary.steps[0].setWeight: must be 1-99",
            "environments.production.canary.steps[1].pause: must be a positive duration such as 90s,"
                + " 30m or 24h",
            "environments.production.canary.steps[2]: must have exactly one of setWeight, pause or"
                + " analysis",
            "environments.production.canary.steps[3].analysis: needs the environment's verification"
                + " (its Prometheus and checks)"),
        problems);
  }

  @Test
  void requiredPartsAndTheShapeOfTheFile() throws IOException {
    assertEquals(
        List.of(
            "service: required", "source: required", "image: required", "environments: required"),
        problems("colour: blue\n").subList(1, 5));
    assertEquals(
        List.of("must be a YAML mapping with service, source, image and environments"),
        problems("- just\n- a list\n"));
    assertEquals(List.of("no such file"), problemsOf(dir.resolve("missing.yaml")));
    List<String> syntax = problems("service: shop\n  image: [unclosed\n");
    assertEquals(1, syntax.size());
    assertTrue(syntax.get(0).startsWith("not valid YAML: "), syntax.get(0));
    assertTrue(syntax.get(0).endsWith("(line 2)"), syntax.get(0));
    SpecException many = assertThrows(SpecException.class, () -> load("colour: blue\n"));
    assertTrue(
        many.getMessage().endsWith(": " + many.problems().get(0) + " (and 4 more problems)"));
  }

  @Test
  void aLocalRepositoryIsResolvedBesideTheFileAndMustExist() throws Exception {
    Files.createDirectories(dir.resolve("repo"));
    assertEquals(
        dir.resolve("repo").toString(),
        load(MINIMAL.replace("git: .", "git: repo")).source().git());
    assertEquals(
        List.of("source.git: " + dir.resolve("nowhere") + " is not a directory"),
        problems(MINIMAL.replace("git: .", "git: nowhere")));
    assertEquals(
        List.of("source.git: must be a git URL or a local path without shell characters"),
        problems(MINIMAL.replace("git: .", "git: \"repo`id`\"")));
  }

  private static final String LISTED =
      """
      service: shop
      source:
        git: .
      image:
        repository: 127.0.0.1:5000/team/shop
      runner: 127.0.0.1:5000/team/runner:1
      environments:
        - name: dev
          url: http://127.0.0.1:17080
          slots: {blue: 17081, green: 17082}
          e2e: {command: make smoke, env: {SUITE: smoke}}
        - name: staging
          url: http://127.0.0.1:18080
          slots: {blue: 18081, green: 18082}
          e2e:
            command: make e2e
            runner: 127.0.0.1:5000/team/e2e:2
            timeout: 20m
        - name: production-eu
          url: http://127.0.0.1:19080
          slots: {blue: 19081, green: 19082}
          healthPath: /ready
          hosts:
            - {name: eu-1, address: eu-1.example.com, nginxPort: 19080}
        - name: production-us
          url: http://127.0.0.1:20080
          slots: {blue: 20081, green: 20082}
          secrets: [DB_PASSWORD]
      """;

  @Test
  void theMappingKeepsItsWalkAndHasNoSteps() throws Exception {
    ReleaseSpec spec =
        load(MINIMAL + "runner: 127.0.0.1:5000/team/runner:1\ne2e: {command: make e2e}\n");
    assertNull(spec.steps());
    assertEquals(false, spec.listed());
    assertEquals("make e2e", spec.e2e().command());
    assertEquals(
        List.of(
            new EnvironmentStep("staging", null, spec.e2e(), false),
            new EnvironmentStep("production", spec.approval(), null, true)),
        spec.walk());
  }

  @Test
  void aListOfEnvironmentsIsWalkedInItsOrder() throws Exception {
    ReleaseSpec spec = load(LISTED);
    assertEquals(true, spec.listed());
    assertEquals(
        List.of("dev", "staging", "production-eu", "production-us"),
        List.copyOf(spec.environments().keySet()));
    assertEquals(
        List.of("dev", "staging", "production-eu", "production-us"),
        spec.walk().stream().map(EnvironmentStep::name).toList());
    assertNull(spec.e2e());
    assertNull(spec.approval());
    E2eSpec dev = spec.walk().get(0).e2e();
    assertEquals(
        new E2eSpec(
            "make smoke",
            null,
            Duration.ofMinutes(10),
            "127.0.0.1:5000/team/runner:1",
            Map.of("SUITE", "smoke")),
        dev);
    E2eSpec staging = spec.walk().get(1).e2e();
    assertEquals("127.0.0.1:5000/team/e2e:2", staging.runner());
    assertEquals(Duration.ofMinutes(20), staging.timeout());
    assertEquals(
        List.of(
            new EnvironmentStep("dev", null, dev, true),
            new EnvironmentStep("staging", null, staging, true),
            new EnvironmentStep("production-eu", null, null, true),
            new EnvironmentStep("production-us", null, null, true)),
        spec.steps());
    EnvironmentSpec eu = spec.environment("production-eu");
    assertEquals("/ready", eu.healthPath());
    assertEquals(new SlotPorts(19081, 19082), eu.slots());
    assertEquals(
        List.of(new HostSpec("eu-1", "eu-1.example.com", 22, "deploy", 19080)), eu.hosts());
    assertEquals(List.of("DB_PASSWORD"), spec.environment("production-us").container().secrets());
  }

  @Test
  void aListOfOneEnvironmentIsEnough() throws Exception {
    ReleaseSpec spec =
        load(
            MINIMAL.substring(0, MINIMAL.indexOf("environments:"))
                + "environments:\n  - {name: live, url: http://127.0.0.1:18080, slots: {blue: 1, green: 2}}\n");
    assertEquals(List.of(new EnvironmentStep("live", null, null, true)), spec.steps());
    assertEquals(new SlotPorts(1, 2), spec.environment("live").slots());
  }

  @Test
  void everyProblemOfAListIsNamedByItsPlace() {
    List<String> problems =
        problems(
            LISTED
                    .replace("- name: staging", "- name: Staging")
                    .replace("- name: production-us", "- name: dev")
                    .replace(
                        "healthPath: /ready", "healthPath: ready\n    approval: {approvers: [x]}")
                    .replace(
                        "e2e: {command: make smoke, env: {SUITE: smoke}}", "e2e: {timeout: 0s}")
                    .replace(
                        "slots: {blue: 19081, green: 19082}", "slots: {blue: 19081, green: 19081}")
                + "e2e: {command: make e2e}\n");
    assertEquals(
        List.of(
            "environments[0].e2e.command: required",
            "environments[0].e2e.timeout: must be a positive duration such as 90s, 30m or 24h",
            "environments[1].name: must be lowercase letters, digits and '-' (starting with a"
                + " letter), got 'Staging'",
            "environments[2].approval: unknown field (expected one of canary, command, cpus,"
                + " drainTimeout, e2e, env, healthPath, healthStatus, healthTimeout, hosts, memory,"
                + " name, rollbackWindow, secrets, slots, stopTimeout, url, verification,"
                + " versionPath, volumes)",
            "environments[2].slots.green: must differ from blue",
            "environments[2].healthPath: must be a URL path such as /healthz, got 'ready'",
            "environments[3].name: dev is listed twice",
            "e2e: with a list of environments, each environment names its own e2e"),
        problems);
  }

  @Test
  void aListNeedsNamedEnvironmentsAndAnE2eItsRunner() {
    String head = MINIMAL.substring(0, MINIMAL.indexOf("environments:"));
    assertEquals(List.of("environments: must not be empty"), problems(head + "environments: []\n"));
    assertEquals(
        List.of(
            "environments: must be a list of environments (each with a name) or the"
                + " staging/production mapping"),
        problems(head + "environments: staging\n"));
    assertEquals(
        List.of(
            "environments[1]: must be a mapping",
            "environments[0].name: required",
            "environments[2].e2e.runner: required: the image the E2E suite runs in (or a"
                + " top-level runner)"),
        problems(
            head
                + """
                environments:
                  - {url: http://127.0.0.1:18080, slots: {blue: 1, green: 2}}
                  - live
                  - {name: live, url: http://127.0.0.1:18080, slots: {blue: 1, green: 2}, e2e: {command: run}}
                """));
  }

  /** Whether an environment takes an older release is the operator policy's alone. */
  @Test
  void aReleaseYamlCannotAllowOlderReleases() {
    List<String> mapped = problems(production("allowOlderReleases: true"));
    assertEquals(1, mapped.size(), mapped.toString());
    assertTrue(
        mapped.get(0).startsWith("environments.production.allowOlderReleases: unknown field"),
        mapped.get(0));
    List<String> listed =
        problems(
            LISTED.replace(
                "    healthPath: /ready\n",
                "    healthPath: /ready\n    allowOlderReleases: true\n"));
    assertEquals(1, listed.size(), listed.toString());
    assertTrue(
        listed.get(0).startsWith("environments[2].allowOlderReleases: unknown field"),
        listed.get(0));
    List<String> top = problems(MINIMAL + "allowOlderReleases: true\n");
    assertEquals(1, top.size(), top.toString());
    assertTrue(top.get(0).startsWith("allowOlderReleases: unknown field"), top.get(0));
  }

  @Test
  void theMappingStillRefusesOtherEnvironmentNames() {
    assertEquals(
        List.of("environments.dev: unknown field (expected one of production, staging)"),
        problems(MINIMAL.replace("  staging:\n", "  dev:\n    url: http://x\n  staging:\n")));
  }

  @Test
  void theReferencesListExampleReads() throws Exception {
    String doc =
        Files.readString(
            Path.of(System.getProperty("project.root", "..")).resolve("docs/release-yaml.md"));
    int section = doc.indexOf("## `environments`");
    int start = doc.indexOf("```yaml\n", section) + "```yaml\n".length();
    String example = doc.substring(start, doc.indexOf("```", start));
    ReleaseSpec spec = load(MINIMAL.substring(0, MINIMAL.indexOf("environments:")) + example);
    assertEquals(
        List.of("dev", "staging", "production-eu", "production-us"),
        spec.walk().stream().map(EnvironmentStep::name).toList());
    assertEquals("127.0.0.1:5000/team/runner:1", spec.walk().get(0).e2e().runner());
    assertEquals("127.0.0.1:5000/team/e2e:2", spec.walk().get(1).e2e().runner());
  }

  private ReleaseSpec load(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "release-", ".yaml");
    Files.writeString(file, yaml);
    return new ReleaseSpecLoader().load(file);
  }

  @Test
  void aGitUrlWithCredentialsIsRefusedWithoutRepeatingThem() {
    for (String url :
        List.of(
            "https://deploy:s3cret-token@git.example.com/shop.git",
            "https://s3cret-token@git.example.com/shop.git",
            "ssh://git:s3cret-token@git.example.com/shop.git")) {
      List<String> problems = problems(MINIMAL.replace("  git: .", "  git: " + url));
      assertEquals(List.of("source.git: " + SourceSpec.CREDENTIALS_REFUSED), problems, url);
      assertFalse(problems.toString().contains("s3cret"), problems.toString());
    }
    assertFalse(SourceSpec.carriesCredentials("ssh://git@git.example.com/shop.git"));
    assertFalse(SourceSpec.carriesCredentials("https://git.example.com/shop.git"));
  }

  @Test
  void aKeyWrittenTwiceIsRefusedWithBothLines() {
    // a second `scanners: []` far below the first would drop the scanners unseen
    assertEquals(
        List.of("scanners: written twice (lines 19 and 22)"),
        problems(
            MINIMAL
                + "scanners:\n  - {name: pmd, command: sh scan.sh, report: r.sarif, format: sarif}\n"
                + "runner: gate-runner:1\n"
                + "scanners: []\n"));
    assertEquals(
        List.of("environments.production.slots.blue: written twice (lines 16 and 16)"),
        problems(MINIMAL.replace("{blue: 19081, green: 19082}", "{blue: 19081, blue: 19083}")));
  }

  private List<String> problems(String yaml) {
    return assertThrows(SpecException.class, () -> load(yaml)).problems();
  }

  private static List<String> problemsOf(Path file) {
    return assertThrows(SpecException.class, () -> new ReleaseSpecLoader().load(file)).problems();
  }
}
