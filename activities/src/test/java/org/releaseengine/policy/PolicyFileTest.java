package org.releaseengine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ScannerSpec;

class PolicyFileTest {

  @TempDir Path dir;

  String problems(String yaml) throws IOException {
    Path file = Files.writeString(dir.resolve("policy.yaml"), yaml);
    return assertThrows(IllegalArgumentException.class, () -> PolicyFile.load(file))
        .getMessage()
        .replace(file + ": ", "");
  }

  @Test
  void theExampleFileReads() {
    OperatorPolicy policy = PolicyFile.load(Path.of("../deploy/policy.example.yaml"));
    assertEquals(Map.of("U012AB3CD", "alice", "U045EF6GH", "bob"), policy.slackUsers());
    OperatorPolicy.Service hello = policy.services().get("hello-app");
    assertEquals("#releases", hello.slackChannel());
    assertEquals(
        new RequiredGates(
            Map.of("pmd", new RequiredGates.Scanner(ScannerSpec.FailOn.ERROR, false)),
            Set.of("staging"),
            Set.of("production")),
        hello.require());
  }

  @Test
  void aHostNotBoundToTheEnvironmentOrServiceIsAProblem() throws IOException {
    String yaml =
        Files.readString(Path.of("src/test/resources/policy/shop.yaml"))
            .replace("hosts: [billing-staging]", "hosts: [host-19080]");
    assertEquals(
        "services.billing.environments[0].hosts: host-19080 is not bound to staging of billing"
            + " (its environments/services)",
        problems(yaml));
  }

  @Test
  void anyEnvironmentsInAnyOrderWithApprovalsOnAnyOfThem() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("policy.yaml"),
            """
            hosts:
              h1: {address: 127.0.0.1, user: deploy, environments: [dev, staging, production-eu], services: [shop]}
            services:
              shop:
                start: [ci]
                environments:
                  - {name: production-eu, hosts: [h1]}
                  - {name: dev, hosts: [h1], approval: {approvers: [alice]}}
                  - {name: staging, hosts: [h1], approval: {approvers: [bob], required: 1}}
            """);
    OperatorPolicy policy = PolicyFile.load(file);
    List<OperatorPolicy.Environment> environments = policy.services().get("shop").environments();
    assertEquals(
        List.of("production-eu", "dev", "staging"),
        environments.stream().map(OperatorPolicy.Environment::name).toList());
    assertNull(environments.get(0).approval());
    assertEquals(List.of("alice"), environments.get(1).approval().approvers());
    assertEquals(List.of("bob"), environments.get(2).approval().approvers());
  }

  @Test
  void environmentNamesAreValidUniqueAndAtLeastOne() throws IOException {
    String hosts =
        """
        hosts:
          h1: {address: 127.0.0.1, user: deploy, environments: [dev], services: [shop]}
        services:
          shop:
            start: [ci]
        """;
    assertEquals(
        "services.shop.environments[1].name: must be an environment name, got 'Dev'; "
            + "services.shop.environments[2].name: dev is listed twice",
        problems(
            hosts
                + """
                    environments:
                      - {name: dev, hosts: [h1], approval: {approvers: [alice]}}
                      - {name: Dev, hosts: [h1]}
                      - {name: dev, hosts: [h1]}
                """));
    assertEquals(
        "services.shop.environments: must not be empty",
        problems(hosts + "    environments: []\n"));
    assertEquals(
        "services.shop.environments[1].name: rollback is a reserved name; name the environment"
            + " otherwise; services.shop.environments[1].hosts: h1 is not bound to rollback of shop"
            + " (its environments/services)",
        problems(
            hosts
                + """
                    environments:
                      - {name: dev, hosts: [h1], approval: {approvers: [alice]}}
                      - {name: rollback, hosts: [h1]}
                """));
  }

  /** The policy of {@code environments} for shop, on one host bound to staging and production. */
  private static String withEnvironments(String environments) {
    return """
        hosts:
          h1: {address: 127.0.0.1, user: deploy, environments: [staging, production], services: [shop]}
        services:
          shop:
            start: [ci]
            environments:
        """
        + environments;
  }

  @Test
  void anEnvironmentMayAllowOlderReleasesAndNoneDoesUnlessItSays() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("policy.yaml"),
            withEnvironments(
                """
                      - {name: staging, hosts: [h1], allowOlderReleases: true}
                      - {name: production, hosts: [h1], approval: {approvers: [alice]}}
                """));
    List<OperatorPolicy.Environment> environments =
        PolicyFile.load(file).services().get("shop").environments();
    assertTrue(environments.get(0).allowOlderReleases());
    assertFalse(environments.get(1).allowOlderReleases(), "refused unless the policy says so");

    Path off =
        Files.writeString(
            dir.resolve("off.yaml"),
            withEnvironments(
                """
                      - {name: staging, hosts: [h1], allowOlderReleases: false}
                      - {name: production, hosts: [h1], approval: {approvers: [alice]}}
                """));
    assertFalse(
        PolicyFile.load(off).services().get("shop").environments().get(0).allowOlderReleases());
  }

  @Test
  void allowOlderReleasesIsTrueOrFalseAndWrittenOnce() throws IOException {
    assertEquals(
        "services.shop.environments[1].allowOlderReleases: must be true or false",
        problems(
            withEnvironments(
                """
                      - {name: staging, hosts: [h1]}
                      - {name: production, hosts: [h1], approval: {approvers: [alice]}, allowOlderReleases: "yes"}
                """)));
    assertEquals(
        "services.shop.environments[0].allowOlderReleases: must be true or false",
        problems(
            withEnvironments(
                """
                      - {name: staging, hosts: [h1], allowOlderReleases: [production]}
                      - {name: production, hosts: [h1], approval: {approvers: [alice]}}
                """)));
    assertEquals(
        "services.shop.environments[1].allowOlderReleases: written twice (lines 9 and 11)",
        problems(
            withEnvironments(
                """
                      - {name: staging, hosts: [h1]}
                      - name: production
                        allowOlderReleases: false
                        hosts: [h1]
                        allowOlderReleases: true
                        approval: {approvers: [alice]}
                """)));
    // on the service it is no field at all: an allowance is per environment
    assertEquals(
        "services.shop.allowOlderReleases: unknown field (expected one of abort, environments,"
            + " promote, require, rollback, scannerNetwork, slackChannel, start)",
        problems(
            withEnvironments(
                    """
                      - {name: staging, hosts: [h1]}
                      - {name: production, hosts: [h1], approval: {approvers: [alice]}}
                """)
                .replace("    start: [ci]\n", "    start: [ci]\n    allowOlderReleases: true\n")));
  }

  @Test
  void aServiceWithoutAnyApprovalAndUnknownFieldsAreProblems() throws IOException {
    assertEquals(
        "services.shop.owner: unknown field (expected one of abort, environments, promote,"
            + " require, rollback, scannerNetwork, slackChannel, start); services.shop.environments: needs an approval on at least one"
            + " environment (a release never goes out unreviewed)",
        problems(
            """
            hosts:
              h1: {address: 127.0.0.1, user: deploy, environments: [staging, production], services: [shop]}
            services:
              shop:
                owner: me
                start: [ci]
                environments:
                  - {name: staging, hosts: [h1]}
                  - {name: production, hosts: [h1]}
            """));
  }

  @Test
  void aKeyWrittenTwiceIsRefusedWithBothLines() throws IOException {
    // a second, looser `required` far below the first would otherwise win silently
    assertEquals(
        "services.shop.environments[1].approval.required: written twice (lines 9 and 11)",
        problems(
            """
            hosts:
              h1: {address: 127.0.0.1, user: deploy, environments: [staging, production], services: [shop]}
            services:
              shop:
                start: [ci]
                environments:
                  - {name: staging, hosts: [h1]}
                  - name: production
                    approval: {approvers: [alice, bob], required: 2,
                      timeout: 1h,
                      required: 1}
                    hosts: [h1]
            """));
    assertEquals(
        "hosts: written twice (lines 1 and 4)",
        problems(
            """
            hosts:
              h1: {address: 127.0.0.1, user: deploy, environments: [staging], services: [shop]}
            services: {}
            hosts: {}
            """));
  }

  @Test
  void twoPairsThatWouldShareTheirContainersNamesOnAHostAreAProblem() throws IOException {
    // a's b-c and a-b's c both name their containers a-b-c-blue and a-b-c-green
    String policy =
        """
        hosts:
          h1: {address: 127.0.0.1, user: deploy, environments: [b-c, c], services: [a, a-b]}
          h2: {address: 127.0.0.2, user: deploy, environments: [b-c, c], services: [a, a-b]}
        services:
          a:
            start: [ci]
            environments:
              - {name: b-c, hosts: [h1], approval: {approvers: [alice]}}
          a-b:
            start: [ci]
            environments:
              - {name: c, hosts: [%s], approval: {approvers: [alice]}}
        """;
    assertEquals(
        "services.a-b.environments[0].hosts: c of a-b and b-c of a would both name their"
            + " containers a-b-c-… on host h1; rename a service or an environment",
        problems(policy.formatted("h2, h1")));
    // on hosts of their own they are apart
    Path apart = Files.writeString(dir.resolve("apart.yaml"), policy.formatted("h2"));
    assertEquals(2, PolicyFile.load(apart).services().size());
  }

  @Test
  void aMissingFileIsOneLine() {
    assertEquals(
        "no such file",
        assertThrows(IllegalArgumentException.class, () -> PolicyFile.load(dir.resolve("none")))
            .getMessage()
            .replace(dir.resolve("none") + ": ", ""));
  }

  private static final String SHOP =
      """
      services:
        shop:
          start: [ci]
          environments:
            - {name: dev, hosts: [a], approval: {approvers: [alice]}}
      """;

  /**
   * Each host names its proxy: a kind (nginx when not given) and a port, nginxPort's older name.
   */
  @Test
  void aHostNamesItsProxy() throws IOException {
    Path file =
        Files.writeString(
            dir.resolve("policy.yaml"),
            """
            hosts:
              a: {address: 10.0.0.1, user: deploy, proxy: {kind: nginx, port: 8080}, environments: [dev], services: [shop]}
              b: {address: 10.0.0.2, user: deploy, proxy: {port: 8081}, environments: [dev], services: [shop]}
              c: {address: 10.0.0.3, user: deploy, nginxPort: 8082, environments: [dev], services: [shop]}
              d: {address: 10.0.0.4, user: deploy, nginxPort: 8083, proxy: {port: 8083}, environments: [dev], services: [shop]}
              e: {address: 10.0.0.5, user: deploy, proxy: {kind: nginx}, environments: [dev], services: [shop]}
            """
                + SHOP);
    Map<String, OperatorPolicy.Host> hosts = PolicyFile.load(file).hosts();
    assertEquals(
        List.of(8080, 8081, 8082, 8083, 80),
        hosts.values().stream().map(h -> h.spec().nginxPort()).toList());
    assertEquals(
        List.of("nginx"),
        hosts.values().stream().map(OperatorPolicy.Host::proxy).distinct().toList());
  }

  /**
   * The worker asks the policy of the moment for a host's proxy; a host it no longer names: nginx.
   */
  @Test
  void theWorkerRoutesThroughTheProxyThePolicyNamesNow() {
    OperatorPolicy.Host lb =
        new OperatorPolicy.Host(
            new HostSpec("lb-1", "10.0.0.9", 22, "deploy", 8080),
            Set.of("dev"),
            Set.of("shop"),
            null,
            "haproxy");
    PolicyGate gate =
        new PolicyGate(() -> new OperatorPolicy(Map.of(), Map.of("lb-1", lb), Map.of()));
    assertEquals("haproxy", gate.proxyOf("lb-1"));
    assertEquals("nginx", gate.proxyOf("gone-1"));
    PolicyGate broken =
        new PolicyGate(
            () -> {
              throw new IllegalArgumentException("policy.yaml: not valid YAML");
            });
    ApplicationFailure unread =
        assertThrows(ApplicationFailure.class, () -> broken.proxyOf("lb-1"));
    assertFalse(unread.isNonRetryable(), "a mended file lets the step go on");
    assertEquals(
        "host lb-1: its proxy is unknown, the operator policy cannot be read: policy.yaml: not"
            + " valid YAML",
        unread.getOriginalMessage());
  }

  @Test
  void aProxyThisEngineLacksOrTwoPortsThatDisagreeAreProblems() throws IOException {
    assertEquals(
        "hosts.a.proxy.kind: haproxy is not a proxy this engine has (nginx); hosts.b.nginxPort:"
            + " 80 is not proxy.port 8080 (one port: give one of them); hosts.c.proxy.weight:"
            + " unknown field (expected one of kind, port); hosts.d.proxy.port: must be 1-65535",
        problems(
            """
            hosts:
              a: {address: 10.0.0.1, user: deploy, proxy: {kind: haproxy}, environments: [dev], services: [shop]}
              b: {address: 10.0.0.2, user: deploy, nginxPort: 80, proxy: {port: 8080}, environments: [dev], services: [shop]}
              c: {address: 10.0.0.3, user: deploy, proxy: {weight: 1}, environments: [dev], services: [shop]}
              d: {address: 10.0.0.4, user: deploy, proxy: {port: 0}, environments: [dev], services: [shop]}
            """
                + SHOP));
  }
}
