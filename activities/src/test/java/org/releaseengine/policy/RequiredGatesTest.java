package org.releaseengine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.releaseengine.Specs;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.ScannerSpec.AllowlistEntry;
import org.releaseengine.model.ScannerSpec.FailOn;
import org.releaseengine.model.VerificationSpec;

/** The gates a policy requires: a release.yaml that drops or loosens one is refused. */
class RequiredGatesTest {

  static final String HOSTS =
      """
      hosts:
        host-18080: {address: 127.0.0.1, port: 2222, user: deploy, nginxPort: 18080, environments: [staging], services: [shop, other]}
        host-19080: {address: 127.0.0.1, port: 2222, user: deploy, nginxPort: 19080, environments: [production], services: [shop]}
      """;

  /** Every service runs pmd (error or stricter) and verifies production; shop adds its own. */
  static final OperatorPolicy POLICY =
      PolicyFile.parse(
          HOSTS
              + """
              require:
                scanners:
                  pmd: {failOn: error}
                verification: [production]
              services:
                shop:
                  start: [ci]
                  require:
                    scanners:
                      pmd: {allowlist: false}
                      osv: {failOn: high}
                    e2e: [staging]
                  environments:
                    - {name: staging, hosts: [host-18080]}
                    - {name: production, hosts: [host-19080], approval: {approvers: [alice]}}
                other:
                  start: [ci]
                  environments:
                    - {name: staging, hosts: [host-18080], approval: {approvers: [alice]}}
              """,
          "policy.yaml");

  static final MetricCheck CHECK =
      new MetricCheck("errors", "up", null, 0.05, Duration.ofSeconds(2), 3, 0, null, 4);
  static final E2eSpec SUITE = new E2eSpec("e2e.sh", null, Duration.ofMinutes(5));
  static final List<AllowlistEntry> WAIVER =
      List.of(new AllowlistEntry("CVE-2024-0001", "not reachable", "2099-01-01"));

  static ScannerSpec scanner(String name, FailOn failOn, List<AllowlistEntry> allowlist) {
    return new ScannerSpec(
        name, "scan.sh", "out.json", ReportFormat.SARIF, failOn, Duration.ofMinutes(5), allowlist);
  }

  static final List<ScannerSpec> SCANNERS =
      List.of(scanner("pmd", FailOn.ERROR, List.of()), scanner("osv", FailOn.HIGH, WAIVER));

  /** shop's release.yaml with the mapping: these scanners, staging's e2e, production's checks. */
  static ReleaseSpec spec(List<ScannerSpec> scanners, E2eSpec e2e, VerificationSpec verification) {
    ReleaseSpec plain = OperatorPolicyTest.withoutHosts(Specs.spec("shop", null));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(plain.environments());
    EnvironmentSpec production = envs.get(ReleaseSpec.PRODUCTION);
    envs.put(
        ReleaseSpec.PRODUCTION,
        new EnvironmentSpec(
            production.url(),
            production.hosts(),
            production.slots(),
            production.healthPath(),
            production.rollbackWindow(),
            verification));
    return new ReleaseSpec("shop", plain.source(), plain.image(), null, envs, scanners, e2e, null);
  }

  static ReleaseSpec withScanners(List<ScannerSpec> scanners) {
    return spec(scanners, SUITE, new VerificationSpec("http://127.0.0.1:9090", List.of(CHECK)));
  }

  static String refusal(ReleaseSpec spec) {
    return assertThrows(PolicyRefusal.class, () -> POLICY.admit(spec, "ci")).getMessage();
  }

  @Test
  void aReleaseWithEveryRequiredGateIsAdmittedAndMayBeStricter() {
    assertEquals(SCANNERS, POLICY.admit(withScanners(SCANNERS), "ci").spec().scanners());
    // warning fails on medium findings too: stricter than error (high)
    POLICY.admit(
        withScanners(
            List.of(
                scanner("pmd", FailOn.WARNING, List.of()),
                scanner("osv", FailOn.LOW, null),
                scanner("extra", FailOn.CRITICAL, WAIVER))),
        "ci");
  }

  @Test
  void aRequiredScannerLeftOutIsRefused() {
    assertEquals(
        "scanners: osv is required by the policy", refusal(withScanners(List.of(SCANNERS.get(0)))));
    assertEquals("scanners: pmd is required by the policy", refusal(withScanners(null)));
  }

  @Test
  void aLooserThresholdIsRefused() {
    assertEquals(
        "scanners[0].failOn: critical is looser than the policy's error for pmd",
        refusal(
            withScanners(List.of(scanner("pmd", FailOn.CRITICAL, List.of()), SCANNERS.get(1)))));
    assertEquals(
        "scanners[1].failOn: critical is looser than the policy's high for osv",
        refusal(withScanners(List.of(SCANNERS.get(0), scanner("osv", FailOn.CRITICAL, null)))));
    // a second scanner of the same name is held to the same rule
    assertEquals(
        "scanners[2].failOn: critical is looser than the policy's error for pmd",
        refusal(
            withScanners(
                List.of(
                    SCANNERS.get(0),
                    SCANNERS.get(1),
                    scanner("pmd", FailOn.CRITICAL, List.of())))));
  }

  @Test
  void anAllowlistThePolicyForbidsIsRefused() {
    assertEquals(
        "scanners[0].allowlist: the policy does not let pmd's findings be waived",
        refusal(withScanners(List.of(scanner("pmd", FailOn.ERROR, WAIVER), SCANNERS.get(1)))));
  }

  @Test
  void aMissingE2eOrVerificationIsRefused() {
    VerificationSpec checks = new VerificationSpec("http://127.0.0.1:9090", List.of(CHECK));
    assertEquals(
        "environments.staging.e2e: an E2E suite is required by the policy",
        refusal(spec(SCANNERS, null, checks)));
    assertEquals(
        "environments.production.verification: required by the policy",
        refusal(spec(SCANNERS, SUITE, null)));
    assertEquals(
        "environments.production.verification: required by the policy",
        refusal(spec(SCANNERS, SUITE, new VerificationSpec("http://127.0.0.1:9090", List.of()))));
  }

  /** other's release.yaml: its one environment, staging, and these scanners. */
  static ReleaseSpec other(List<ScannerSpec> scanners) {
    ReleaseSpec plain = OperatorPolicyTest.withoutHosts(Specs.spec("other", null));
    return new ReleaseSpec(
        "other",
        plain.source(),
        plain.image(),
        null,
        Map.of(ReleaseSpec.STAGING, plain.environment(ReleaseSpec.STAGING)),
        scanners,
        null,
        null,
        List.of(new EnvironmentStep(ReleaseSpec.STAGING, null, null, true)));
  }

  @Test
  void theTopLevelRequirementsApplyToEveryServiceThatHasTheEnvironment() {
    assertEquals(
        "scanners: pmd is required by the policy",
        assertThrows(PolicyRefusal.class, () -> POLICY.admit(other(null), "ci")).getMessage());
    // other has no production, so the top level's verification does not apply to it; nor does
    // shop's allowlist rule
    POLICY.admit(other(List.of(scanner("pmd", FailOn.HIGH, WAIVER))), "ci");
  }

  @Test
  void theTwoLevelsAreMergedStricterWins() {
    RequiredGates shop = POLICY.services().get("shop").require();
    assertEquals(
        Map.of(
            "pmd", new RequiredGates.Scanner(FailOn.ERROR, false),
            "osv", new RequiredGates.Scanner(FailOn.HIGH, true)),
        shop.scanners());
    assertEquals(Set.of("staging"), shop.e2e());
    assertEquals(Set.of("production"), shop.verification());
    assertEquals(Set.of(), POLICY.services().get("other").require().verification());
    RequiredGates top =
        new RequiredGates(
            Map.of("pmd", new RequiredGates.Scanner(FailOn.WARNING, true)), Set.of(), Set.of());
    RequiredGates own =
        new RequiredGates(
            Map.of("pmd", new RequiredGates.Scanner(FailOn.CRITICAL, false)),
            new LinkedHashSet<>(List.of("dev")),
            Set.of());
    assertEquals(
        new RequiredGates(
            Map.of("pmd", new RequiredGates.Scanner(FailOn.WARNING, false)),
            Set.of("dev"),
            Set.of()),
        top.and(own));
  }

  /** dev, staging (e2e required), production-eu (verification required), as WALK lists them. */
  static final OperatorPolicy WALK =
      PolicyFile.parse(
          """
          hosts:
            dev-1: {address: 10.0.0.1, user: deploy, nginxPort: 17080, environments: [dev], services: [shop]}
            staging-1: {address: 10.0.0.2, user: deploy, nginxPort: 18080, environments: [staging], services: [shop]}
            eu-1: {address: 10.0.0.3, user: deploy, nginxPort: 19080, environments: [production-eu], services: [shop]}
          services:
            shop:
              start: [ci]
              require: {e2e: [staging], verification: [production-eu]}
              environments:
                - {name: dev, hosts: [dev-1]}
                - {name: staging, hosts: [staging-1], approval: {approvers: [alice]}}
                - {name: production-eu, hosts: [eu-1], approval: {approvers: [alice]}}
          """,
          "walk policy");

  @Test
  void aListedReleaseNamesTheEnvironmentByPlace() {
    ReleaseSpec listed = OperatorPolicyTest.listed(null, "dev", "staging", "production-eu");
    assertEquals(
        "environments[1].e2e: an E2E suite is required by the policy",
        assertThrows(PolicyRefusal.class, () -> WALK.admit(listed, "ci")).getMessage());
    ReleaseSpec withSuite =
        listed.withSteps(
            listed.steps().stream()
                .map(s -> s.name().equals("staging") ? s.withE2e(SUITE) : s)
                .toList());
    assertEquals(
        "environments[2].verification: required by the policy",
        assertThrows(PolicyRefusal.class, () -> WALK.admit(withSuite, "ci")).getMessage());
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(withSuite.environments());
    EnvironmentSpec eu = envs.get("production-eu");
    envs.put(
        "production-eu",
        new EnvironmentSpec(
            eu.url(),
            eu.hosts(),
            eu.slots(),
            eu.healthPath(),
            eu.rollbackWindow(),
            new VerificationSpec("http://127.0.0.1:9090", List.of(CHECK))));
    ReleaseSpec verified = OperatorPolicyTest.with(withSuite, envs).withSteps(withSuite.steps());
    WALK.admit(verified, "ci");
    // a step that is not verified (only a spec sent to Temporal directly can say so) is refused
    ReleaseSpec unverified =
        verified.withSteps(
            verified.steps().stream()
                .map(
                    s ->
                        s.name().equals("production-eu")
                            ? new EnvironmentStep(s.name(), null, null, false)
                            : s)
                .toList());
    assertEquals(
        "environments[2].verification: required by the policy",
        assertThrows(PolicyRefusal.class, () -> WALK.admit(unverified, "ci")).getMessage());
  }

  @Test
  void theMappingSaysWhereItHasNoPlaceForARequiredGate() {
    String mapping =
        " (the staging/production mapping runs e2e against staging and verifies production only:"
            + " list the environments)";
    Map<String, String> refusals =
        Map.of(
            "{e2e: [production]}",
            "environments.production.e2e: an E2E suite is required by the policy" + mapping,
            "{verification: [staging]}",
            "environments.staging.verification: required by the policy" + mapping);
    refusals.forEach(
        (require, expected) -> {
          OperatorPolicy strict =
              PolicyFile.parse(
                  HOSTS
                      + """
                      services:
                        shop:
                          start: [ci]
                          require: %s
                          environments:
                            - {name: staging, hosts: [host-18080]}
                            - {name: production, hosts: [host-19080], approval: {approvers: [alice]}}
                      """
                          .formatted(require),
                  "policy.yaml");
          assertEquals(
              expected,
              assertThrows(PolicyRefusal.class, () -> strict.admit(withScanners(null), "ci"))
                  .getMessage());
        });
  }

  @Test
  void aPolicysRequirementsAreCheckedWhenItIsRead() {
    assertEquals(
        "policy.yaml: require.scanners.pmd.waive: unknown field (expected one of allowlist,"
            + " failOn); require.scanners.pmd.failOn: must be one of critical, high, moderate,"
            + " medium, low, error, warning, note (the loosest allowed), got 'severe'; services.shop.require.e2e: qa is not an environment of shop",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    PolicyFile.parse(
                        HOSTS
                            + """
                            require:
                              scanners:
                                pmd: {failOn: severe, waive: true}
                            services:
                              shop:
                                start: [ci]
                                require: {e2e: [qa]}
                                environments:
                                  - {name: staging, hosts: [host-18080]}
                                  - {name: production, hosts: [host-19080], approval: {approvers: [alice]}}
                            """,
                        "policy.yaml"))
            .getMessage());
  }
}
