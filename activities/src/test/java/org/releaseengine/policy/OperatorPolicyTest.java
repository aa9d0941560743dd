package org.releaseengine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.releaseengine.Specs;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.NotificationSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.VolumeSpec;
import org.releaseengine.stage.PolicyActivities.Admission;

/** What a release.yaml may and may not ask of the operator's policy. */
class OperatorPolicyTest {

  static final OperatorPolicy POLICY =
      PolicyFile.load(Path.of("src/test/resources/policy/shop.yaml"));

  static ReleaseSpec withApproval(ApprovalPolicy approval) {
    return Specs.spec("shop", approval);
  }

  static String refusal(ReleaseSpec spec, String requester) {
    return assertThrows(PolicyRefusal.class, () -> POLICY.admit(spec, requester)).getMessage();
  }

  @Test
  void anAdmittedReleaseGetsThePolicysHostsAndApproval() {
    ReleaseSpec asked = withoutHosts(Specs.spec("shop", null));
    Admission admitted = POLICY.admit(asked, "ci");
    assertEquals(
        List.of(new HostSpec("host-19080", "127.0.0.1", 2222, "deploy", 19080)),
        admitted.spec().environment(ReleaseSpec.PRODUCTION).hosts());
    assertEquals(
        new ApprovalPolicy(List.of("alice", "bob", "carol"), 1, false, Duration.ofHours(24)),
        admitted.spec().approval());
    assertEquals(admitted.spec().approval(), admitted.policy().approval());
    assertEquals(List.of("alice", "bob"), admitted.policy().rollback());
  }

  @Test
  void aFileMayTightenTheApproval() {
    ApprovalPolicy tighter =
        new ApprovalPolicy(List.of("alice", "bob"), 2, false, Duration.ofHours(2));
    assertEquals(tighter, POLICY.admit(withApproval(tighter), "ci").policy().approval());
  }

  @Test
  void selfApprovalByTheRequesterIsRefused() {
    // the attack: the requester names themselves the only approver, with self-approval
    assertEquals(
        "approval.approvers: dave is not an approver of production in the policy (alice, bob, carol)",
        refusal(withApproval(new ApprovalPolicy(List.of("dave"), 1, true, null)), "dave"));
    assertEquals(
        "approval.allowSelfApproval: the policy does not allow self-approval",
        refusal(withApproval(new ApprovalPolicy(List.of("alice"), 1, true, null)), "alice"));
  }

  @Test
  void fewerApprovalsOrALongerWaitThanThePolicyAreRefused() {
    OperatorPolicy strict =
        new OperatorPolicy(
            Map.of(
                "shop",
                new OperatorPolicy.Service(
                    List.of("ci"),
                    List.of(),
                    List.of(),
                    List.of(),
                    List.of(
                        POLICY.services().get("shop").environments().get(0),
                        new OperatorPolicy.Environment(
                            ReleaseSpec.PRODUCTION,
                            List.of("host-19080"),
                            new ApprovalPolicy(
                                List.of("alice", "bob"), 2, false, Duration.ofHours(1)))))),
            POLICY.hosts(),
            Map.of());
    assertEquals(
        "approval.required: 1 is fewer than the policy's 2",
        assertThrows(
                PolicyRefusal.class,
                () ->
                    strict.admit(
                        withApproval(new ApprovalPolicy(List.of("alice", "bob"), 1, false, null)),
                        "ci"))
            .getMessage());
    assertEquals(
        "approval.timeout: longer than the policy's PT1H",
        assertThrows(
                PolicyRefusal.class,
                () ->
                    strict.admit(
                        withApproval(
                            new ApprovalPolicy(
                                List.of("alice", "bob"), 2, false, Duration.ofHours(24))),
                        "ci"))
            .getMessage());
  }

  @Test
  void stagingHostsThatAreProductionsAreRefused() {
    ReleaseSpec asked = Specs.spec("shop");
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(asked.environments());
    EnvironmentSpec staging = envs.get(ReleaseSpec.STAGING);
    envs.put(
        ReleaseSpec.STAGING,
        new EnvironmentSpec(
            staging.url(),
            List.of(new HostSpec("host-19080", "127.0.0.1", 2222, "deploy", 19080)),
            staging.slots(),
            staging.healthPath(),
            staging.rollbackWindow()));
    assertEquals(
        "environments.staging.hosts[0]: host-19080 (127.0.0.1:2222) is not a host the policy gives"
            + " this environment (host-18080); leave hosts out of release.yaml",
        refusal(with(asked, envs), "ci"));
  }

  @Test
  void hostsAsThePolicyNamesThemAreAccepted() {
    // Specs.spec names exactly the policy's hosts: a file written before the policy still works
    assertEquals(
        Specs.spec("shop").environment(ReleaseSpec.STAGING).hosts(),
        POLICY.admit(Specs.spec("shop"), "ci").spec().environment(ReleaseSpec.STAGING).hosts());
  }

  @Test
  void anotherTeamsServiceAndAnUnknownServiceAreRefused() {
    assertEquals(
        "requester: ci may not start releases of billing (policy: billing-ci)",
        refusal(Specs.spec("billing", null), "ci"));
    assertEquals(
        "service: payroll is not a service of the operator policy; ask its operator",
        refusal(Specs.spec("payroll"), "ci"));
  }

  @Test
  void aRequesterThePolicyDoesNotNameIsRefused() {
    assertEquals(
        "requester: mallory may not start releases of shop (policy: ci, alice, dave)",
        refusal(Specs.spec("shop"), "mallory"));
  }

  @Test
  void anEnvironmentThePolicyDoesNotGiveIsRefused() {
    ReleaseSpec asked = Specs.spec("shop");
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(asked.environments());
    envs.put("qa", envs.get(ReleaseSpec.STAGING));
    assertEquals(
        "environments.qa: the policy gives shop no environment qa",
        refusal(with(asked, envs), "ci"));
  }

  @Test
  void rollbackIsForThoseThePolicyNames() {
    assertNull(POLICY.rollbackRefusal("shop", "production", "bob"));
    assertEquals(
        "mallory may not roll back shop (policy: alice, bob)",
        POLICY.rollbackRefusal("shop", "production", "mallory"));
    assertEquals(
        "the policy gives shop no environment qa", POLICY.rollbackRefusal("shop", "qa", "bob"));
  }

  /** The spec with {@code environment}'s url set to {@code url}. */
  static ReleaseSpec withUrl(String environment, String url) {
    return withUrl(withoutHosts(Specs.spec("shop", null)), environment, url);
  }

  static ReleaseSpec withUrl(ReleaseSpec spec, String environment, String url) {
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(spec.environments());
    envs.put(environment, withUrl(envs.get(environment), url));
    return with(spec, envs);
  }

  @Test
  void aSourceWithCredentialsIsRefusedAtAdmissionToo() {
    // a release started through Temporal directly never went through release-cli's loader
    ReleaseSpec spec = withoutHosts(Specs.spec("shop", null));
    ReleaseSpec withToken =
        new ReleaseSpec(
            spec.service(),
            new org.releaseengine.model.SourceSpec(
                "https://x-token:s3cret@git.example.com/shop.git", ".", "Dockerfile"),
            spec.image(),
            spec.approval(),
            spec.environments(),
            spec.scanners(),
            spec.e2e(),
            spec.notifications());
    String refusal = refusal(withToken, "ci");
    assertEquals("source.git: " + org.releaseengine.model.SourceSpec.CREDENTIALS_REFUSED, refusal);
  }

  @Test
  void anEnvironmentUrlMustBeServedByItsOwnHostsProxy() {
    // the gate forwarder and the worker's checks connect where the url points: Temporal's
    // frontend, the worker's dashboard, a metadata address or another team's host are refused
    for (String url :
        List.of(
            "http://127.0.0.1:7233",
            "http://127.0.0.1:19080", // production's proxy, not staging's
            "http://169.254.169.254/latest/meta-data",
            "http://10.0.0.8",
            "http://127.0.0.1", // port 80: not the host's proxy port
            "http://user:pw@127.0.0.1:18080")) {
      assertEquals(
          "environments.staging.url: "
              + url
              + " is not served by staging's hosts (host-18080 at 127.0.0.1:18080) and the policy"
              + " lists no other urls for it",
          refusal(withUrl(ReleaseSpec.STAGING, url), "ci"),
          url);
    }
    for (String url :
        List.of("http://127.0.0.1:18080", "https://127.0.0.1:18080/", "http://127.0.0.1:18080/x")) {
      assertEquals(
          url,
          POLICY
              .admit(withUrl(ReleaseSpec.STAGING, url), "ci")
              .spec()
              .environment(ReleaseSpec.STAGING)
              .url());
    }
  }

  @Test
  void anEnvironmentUrlTheOperatorListsIsAccepted() {
    OperatorPolicy listed =
        PolicyFile.parse(
            """
            hosts:
              host-18080: {address: 127.0.0.1, port: 2222, user: deploy, nginxPort: 18080, environments: [staging, production], services: [shop]}
            services:
              shop:
                start: [ci]
                environments:
                  - {name: staging, hosts: [host-18080], urls: ["https://shop-staging.example.com"]}
                  - {name: production, hosts: [host-18080], approval: {approvers: [alice]}}
            """,
            "policy.yaml");
    ReleaseSpec spec = withUrl(ReleaseSpec.STAGING, "https://shop-staging.example.com/app");
    spec = withUrl(spec, ReleaseSpec.PRODUCTION, "http://127.0.0.1:18080");
    assertEquals(
        "https://shop-staging.example.com/app",
        listed.admit(spec, "ci").spec().environment(ReleaseSpec.STAGING).url());
    ReleaseSpec elsewhere =
        withUrl(spec, ReleaseSpec.PRODUCTION, "https://shop-staging.example.com");
    assertEquals(
        "environments.production.url: https://shop-staging.example.com is not served by"
            + " production's hosts (host-18080 at 127.0.0.1:18080) and the policy lists no other"
            + " urls for it",
        assertThrows(PolicyRefusal.class, () -> listed.admit(elsewhere, "ci")).getMessage());
    assertEquals(
        "policy.yaml: services.shop.environments[0].urls[0]: must be origins such as"
            + " https://shop.example.com or http://10.0.0.5:8080, got 'https://a.example.com/path'",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    PolicyFile.parse(
                        """
                        hosts:
                          h: {address: 127.0.0.1, user: deploy, environments: [staging], services: [shop]}
                        services:
                          shop:
                            start: [ci]
                            environments:
                              - {name: staging, hosts: [h], urls: ["https://a.example.com/path"], approval: {approvers: [alice]}}
                        """,
                        "policy.yaml"))
            .getMessage());
  }

  static ReleaseSpec with(ReleaseSpec spec, Map<String, EnvironmentSpec> envs) {
    return new ReleaseSpec(
        spec.service(),
        spec.source(),
        spec.image(),
        spec.approval(),
        envs,
        spec.scanners(),
        spec.e2e(),
        spec.notifications());
  }

  /** The spec with {@code volume} mounted in {@code environment}'s container. */
  static ReleaseSpec withVolume(String environment, VolumeSpec volume) {
    ReleaseSpec spec = withoutHosts(Specs.spec("shop", null));
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(spec.environments());
    envs.put(
        environment,
        envs.get(environment)
            .withContainer(new ContainerSpec(null, null, List.of(volume), null, null, null)));
    return with(spec, envs);
  }

  @Test
  void hostPathsOnlyUnderTheHostsVolumePrefix() {
    VolumeSpec allowed = new VolumeSpec("/srv/volumes/shop", "/config", true);
    assertEquals(
        List.of(allowed),
        POLICY
            .admit(withVolume(ReleaseSpec.PRODUCTION, allowed), "ci")
            .spec()
            .environment(ReleaseSpec.PRODUCTION)
            .container()
            .volumes());
    assertEquals(
        "environments.production.volumes[0]: host path /srv/volumes-other/x is not under"
            + " /srv/volumes, the volumePrefix the policy allows on host-19080",
        refusal(
            withVolume(ReleaseSpec.PRODUCTION, new VolumeSpec("/srv/volumes-other/x", "/x", false)),
            "ci"));
    assertEquals(
        "environments.staging.volumes[0]: host path /srv/volumes/shop: the policy allows no host"
            + " paths on host-18080 (its volumePrefix); use a named volume",
        refusal(withVolume(ReleaseSpec.STAGING, allowed), "ci"));
    POLICY.admit(
        withVolume(ReleaseSpec.STAGING, new VolumeSpec("shop-data", "/data", false)), "ci");
  }

  /** shop walks dev, staging after alice or bob, production-eu after two of alice, bob, carol. */
  static final String WALK_TEXT =
      """
          hosts:
            dev-1: {address: 10.0.0.1, user: deploy, nginxPort: 17080, environments: [dev], services: [shop]}
            staging-1: {address: 10.0.0.2, user: deploy, nginxPort: 18080, environments: [staging], services: [shop]}
            eu-1: {address: 10.0.0.3, user: deploy, nginxPort: 19080, environments: [production-eu], services: [shop]}
          services:
            shop:
              start: [ci]
              rollback: [alice]
              environments:
                - {name: dev, hosts: [dev-1]}
                - name: staging
                  hosts: [staging-1]
                  approval: {approvers: [alice, bob], required: 1, timeout: 4h}
                - name: production-eu
                  hosts: [eu-1]
                  approval: {approvers: [alice, bob, carol], required: 2, timeout: 24h}
          """;

  static final OperatorPolicy WALK = PolicyFile.parse(WALK_TEXT, "walk policy");

  static final ApprovalPolicy STAGING_GATE =
      new ApprovalPolicy(List.of("alice", "bob"), 1, false, Duration.ofHours(4));
  static final ApprovalPolicy EU_GATE =
      new ApprovalPolicy(List.of("alice", "bob", "carol"), 2, false, Duration.ofHours(24));

  /** A release.yaml listing {@code names} in order (as the loader reads it: no approvals). */
  static ReleaseSpec listed(ApprovalPolicy approval, String... names) {
    ReleaseSpec plain = withoutHosts(Specs.spec("shop", approval));
    EnvironmentSpec environment = plain.environment(ReleaseSpec.STAGING);
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    List<EnvironmentStep> steps = new java.util.ArrayList<>();
    for (String name : names) {
      envs.put(name, withUrl(environment, servedBy(name)));
      steps.add(new EnvironmentStep(name, null, null, true));
    }
    return with(plain, envs).withSteps(steps);
  }

  /** The url of {@code environment}'s first host in {@link #WALK}, or staging's own. */
  private static String servedBy(String environment) {
    OperatorPolicy.Environment policy =
        WALK.services().get("shop").environments().stream()
            .filter(e -> e.name().equals(environment))
            .findFirst()
            .orElse(null);
    if (policy == null) {
      return Specs.spec("shop").environment(ReleaseSpec.STAGING).url();
    }
    HostSpec host = WALK.hosts().get(policy.hosts().get(0)).spec();
    return "http://" + host.address() + ":" + host.nginxPort();
  }

  private static EnvironmentSpec withUrl(EnvironmentSpec e, String url) {
    return new EnvironmentSpec(
        url, e.hosts(), e.slots(), e.healthPath(), e.rollbackWindow(), e.verification());
  }

  static String walkRefusal(ReleaseSpec spec) {
    return assertThrows(PolicyRefusal.class, () -> WALK.admit(spec, "ci")).getMessage();
  }

  @Test
  void aListedReleaseGetsEachEnvironmentsApprovalFromThePolicy() {
    Admission admitted = WALK.admit(listed(null, "dev", "staging", "production-eu"), "ci");
    E2eSpec none = null;
    assertEquals(
        List.of(
            new EnvironmentStep("dev", null, none, true),
            new EnvironmentStep("staging", STAGING_GATE, none, true),
            new EnvironmentStep("production-eu", EU_GATE, none, true)),
        admitted.spec().steps());
    assertEquals(STAGING_GATE, admitted.spec().approval());
    assertEquals(STAGING_GATE, admitted.policy().approval());
    assertEquals(
        List.of("dev", "staging", "production-eu"),
        List.copyOf(admitted.spec().environments().keySet()));
    assertEquals(
        List.of(new HostSpec("eu-1", "10.0.0.3", 22, "deploy", 19080)),
        admitted.spec().environment("production-eu").hosts());
    assertEquals(
        Map.of("staging", STAGING_GATE, "production-eu", EU_GATE), admitted.policy().approvals());
    assertEquals(
        "policy: dev on dev-1; staging on staging-1; production-eu on eu-1; approval staging 1 of"
            + " alice, bob; approval production-eu 2 of alice, bob, carol; rollback alice; abort"
            + " nobody and the requester; promote nobody",
        admitted.policy().summary());
  }

  @Test
  void theEnvironmentsThatAllowOlderReleasesAreRecordedForTheRelease() {
    Admission plain = WALK.admit(listed(null, "dev", "staging", "production-eu"), "ci");
    assertNull(plain.policy().olderReleasesAllowed(), "none allowed: nothing recorded");
    assertFalse(plain.policy().allowsOlderReleases("production-eu"));

    OperatorPolicy allowing =
        PolicyFile.parse(
            WALK_TEXT.replace(
                "hosts: [eu-1]\n", "hosts: [eu-1]\n        allowOlderReleases: true\n"),
            "walk policy");
    Admission admitted = allowing.admit(listed(null, "dev", "staging", "production-eu"), "ci");
    assertEquals(List.of("production-eu"), admitted.policy().olderReleasesAllowed());
    assertTrue(admitted.policy().allowsOlderReleases("production-eu"));
    assertFalse(admitted.policy().allowsOlderReleases("staging"));
    assertTrue(
        admitted.policy().summary().endsWith("; older releases allowed in production-eu"),
        admitted.policy().summary());
  }

  @Test
  void anApprovalAStepCarriesIsIgnoredAndTheTopLevelOneTightensEveryGate() {
    ReleaseSpec asked = listed(null, "dev", "staging", "production-eu");
    ApprovalPolicy mallory = new ApprovalPolicy(List.of("mallory"), 1, true, null);
    asked =
        asked.withSteps(asked.steps().stream().map(step -> step.withApproval(mallory)).toList());
    assertEquals(
        java.util.Arrays.asList(null, STAGING_GATE, EU_GATE),
        WALK.admit(asked, "ci").spec().steps().stream().map(EnvironmentStep::approval).toList());

    ApprovalPolicy tighter =
        new ApprovalPolicy(List.of("alice", "bob"), 2, false, Duration.ofHours(1));
    Admission admitted = WALK.admit(listed(tighter, "dev", "staging", "production-eu"), "ci");
    assertEquals(
        java.util.Arrays.asList(null, tighter, tighter),
        admitted.spec().steps().stream().map(EnvironmentStep::approval).toList());
    assertEquals(
        "approval.approvers: dave is not an approver of staging in the policy (alice, bob)",
        walkRefusal(
            listed(
                new ApprovalPolicy(List.of("dave"), 1, false, null),
                "dev",
                "staging",
                "production-eu")));
    assertEquals(
        "approval.required: 1 is fewer than the policy's 2",
        walkRefusal(
            listed(
                new ApprovalPolicy(List.of("alice", "bob"), 1, false, null),
                "dev",
                "staging",
                "production-eu")));
  }

  @Test
  void aListedReleaseWalksExactlyThePolicysEnvironmentsInItsOrder() {
    assertEquals(
        "environments[0].name: staging is out of order: the policy walks shop's environments as"
            + " dev, staging (approval), production-eu (approval), so dev comes here",
        walkRefusal(listed(null, "staging", "dev", "production-eu")));
    assertEquals(
        "environments: production-eu is missing (the policy gives shop dev, staging (approval),"
            + " production-eu (approval), in that order)",
        walkRefusal(listed(null, "dev", "staging")));
    assertEquals(
        "environments[3].name: the policy gives shop no environment qa (it gives dev, staging"
            + " (approval), production-eu (approval))",
        walkRefusal(listed(null, "dev", "staging", "production-eu", "qa")));
    ReleaseSpec twice = listed(null, "dev", "staging", "production-eu");
    List<EnvironmentStep> steps = new java.util.ArrayList<>(twice.steps());
    steps.add(steps.get(0));
    assertEquals("environments[3].name: dev is listed twice", walkRefusal(twice.withSteps(steps)));
  }

  @Test
  void aListedReleaseNamesItsProblemsByPlaceAndHasNoTopLevelE2e() {
    ReleaseSpec asked = listed(null, "dev", "staging", "production-eu");
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>(asked.environments());
    EnvironmentSpec staging = envs.get("staging");
    envs.put(
        "staging",
        new EnvironmentSpec(
            staging.url(),
            List.of(new HostSpec("eu-1", "10.0.0.3", 22, "deploy", 19080)),
            staging.slots(),
            staging.healthPath(),
            staging.rollbackWindow()));
    assertEquals(
        "environments[1].hosts[0]: eu-1 (10.0.0.3:22) is not a host the policy gives this"
            + " environment (staging-1); leave hosts out of release.yaml",
        walkRefusal(with(asked, envs).withSteps(asked.steps())));
    ReleaseSpec withE2e =
        new ReleaseSpec(
            "shop",
            asked.source(),
            asked.image(),
            null,
            asked.environments(),
            null,
            new E2eSpec("run", null, Duration.ofMinutes(1)),
            null,
            asked.steps());
    assertEquals(
        "e2e: with a list of environments, each environment names its own e2e",
        walkRefusal(withE2e));
  }

  @Test
  void theMappingIsRefusedByAPolicyOfOtherEnvironmentsOrApprovals() {
    String mapping =
        "environments: release.yaml's staging/production mapping walks staging, then production"
            + " after its approval, but the policy gives shop ";
    assertEquals(
        mapping
            + "dev, staging (approval), production-eu (approval); list the environments as the"
            + " policy does (docs/release-yaml.md)",
        walkRefusal(withoutHosts(Specs.spec("shop", null))));
    OperatorPolicy stagingGated =
        PolicyFile.parse(
            TestPolicies.yaml(List.of(Specs.spec("shop")), List.of("ci"))
                .replace(
                    "name: \"staging\"", "name: \"staging\"\n      approval: {approvers: [alice]}"),
            "gated staging");
    assertEquals(
        mapping
            + "staging (approval), production (approval); list the environments as the policy"
            + " does (docs/release-yaml.md)",
        assertThrows(PolicyRefusal.class, () -> stagingGated.admit(Specs.spec("shop"), "ci"))
            .getMessage());
  }

  @Test
  void theMappingIsAdmittedAsBeforeWithItsApprovalRecordedForProduction() {
    Admission admitted = POLICY.admit(withoutHosts(Specs.spec("shop", null)), "ci");
    assertNull(admitted.spec().steps());
    assertEquals(
        Map.of(ReleaseSpec.PRODUCTION, admitted.spec().approval()), admitted.policy().approvals());
    assertEquals(admitted.spec().approval(), admitted.spec().walk().get(1).approval());
  }

  /** shop's release.yaml with a scanner that needs no network and one that asks for outbound. */
  static ReleaseSpec withOutboundScanner() {
    ReleaseSpec plain = withoutHosts(Specs.spec("shop", null));
    ScannerSpec sast = Specs.withGates("shop").scanners().get(0);
    ScannerSpec sca =
        new ScannerSpec(
            "osv",
            "osv-scanner --format json . > osv.json",
            "osv.json",
            ReportFormat.OSV,
            ScannerSpec.FailOn.HIGH,
            Duration.ofMinutes(5),
            List.of(),
            "127.0.0.1:5000/team/runner:1",
            null,
            GateNetwork.OUTBOUND);
    return new ReleaseSpec(
        "shop",
        plain.source(),
        plain.image(),
        null,
        plain.environments(),
        List.of(sast, sca),
        null,
        null);
  }

  @Test
  void aScannerGoesOutboundOnlyWhereThePolicyLetsIt() {
    // a scanner reads the checkout: on a network it could send it anywhere the host routes
    assertEquals(
        "scanners[1].network: outbound is not allowed by the policy",
        refusal(withOutboundScanner(), "ci"));
    OperatorPolicy outbound =
        PolicyFile.parse(
            """
            hosts:
              host-18080: {address: 127.0.0.1, port: 2222, user: deploy, nginxPort: 18080, environments: [staging], services: [shop]}
              host-19080: {address: 127.0.0.1, port: 2222, user: deploy, nginxPort: 19080, environments: [production], services: [shop]}
            services:
              shop:
                start: [ci]
                scannerNetwork: outbound
                environments:
                  - {name: staging, hosts: [host-18080]}
                  - {name: production, hosts: [host-19080], approval: {approvers: [alice]}}
            """,
            "policy.yaml");
    assertEquals(
        GateNetwork.OUTBOUND,
        outbound.admit(withOutboundScanner(), "ci").spec().scanners().get(1).network());
    assertEquals(GateNetwork.NONE, POLICY.services().get("shop").scannerNetwork());
    // the policies tests and benches write for their specs let such a scanner out
    ReleaseSpec plain = Specs.spec("shop");
    ReleaseSpec hosted =
        new ReleaseSpec(
            "shop",
            plain.source(),
            plain.image(),
            plain.approval(),
            plain.environments(),
            withOutboundScanner().scanners(),
            null,
            null);
    TestPolicies.from(List.of(hosted), List.of("ci")).admit(hosted, "ci");
  }

  @Test
  void aScannerNetworkThePolicyDoesNotKnowIsAProblem() {
    assertEquals(
        "policy.yaml: services.shop.scannerNetwork: must be none (the default) or outbound (its"
            + " scanners may ask for network: outbound), got 'host'",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    PolicyFile.parse(
                        """
                        hosts:
                          h: {address: 127.0.0.1, user: deploy, environments: [staging], services: [shop]}
                        services:
                          shop:
                            start: [ci]
                            scannerNetwork: host
                            environments:
                              - {name: staging, hosts: [h], approval: {approvers: [alice]}}
                        """,
                        "policy.yaml"))
            .getMessage());
  }

  /** shop's release.yaml naming {@code channel} for its messages (null: no notifications). */
  static ReleaseSpec withChannel(String channel) {
    ReleaseSpec plain = withoutHosts(Specs.spec("shop", null));
    return new ReleaseSpec(
        "shop",
        plain.source(),
        plain.image(),
        null,
        plain.environments(),
        null,
        null,
        channel == null ? null : new NotificationSpec(channel));
  }

  @Test
  void theSlackChannelIsThePolicys() throws Exception {
    // the messages carry the release's story and its approval buttons: a commit does not choose
    // who reads them
    OperatorPolicy channelled =
        PolicyFile.parse(
            Files.readString(Path.of("src/test/resources/policy/shop.yaml"))
                .replace(
                    "    start: [ci, alice, dave]\n",
                    "    start: [ci, alice, dave]\n    slackChannel: \"#shop-releases\"\n"),
            "policy.yaml");
    assertEquals("#shop-releases", channelled.services().get("shop").slackChannel());
    assertEquals(
        "#shop-releases",
        channelled
            .admit(withChannel("#shop-releases"), "ci")
            .spec()
            .notifications()
            .slackChannel());
    assertNull(channelled.admit(withChannel(null), "ci").spec().notifications());
    assertEquals(
        "notifications.slackChannel: #general is not shop's channel in the policy"
            + " (#shop-releases); leave it out or name that one",
        assertThrows(PolicyRefusal.class, () -> channelled.admit(withChannel("#general"), "ci"))
            .getMessage());
    assertEquals(
        "notifications.slackChannel: #shop-releases is not allowed: the policy names no channel"
            + " for shop; leave it out (the worker's default channel applies)",
        refusal(withChannel("#shop-releases"), "ci"));
    POLICY.admit(withChannel(null), "ci");
    POLICY.admit(
        new ReleaseSpec(
            "shop",
            withChannel(null).source(),
            withChannel(null).image(),
            null,
            withChannel(null).environments(),
            null,
            null,
            new NotificationSpec(null)),
        "ci");
  }

  @Test
  void thePoliciesTestsWriteGiveTheirSpecsChannel() {
    ReleaseSpec plain = Specs.spec("shop");
    ReleaseSpec notified =
        new ReleaseSpec(
            "shop",
            plain.source(),
            plain.image(),
            plain.approval(),
            plain.environments(),
            null,
            null,
            new NotificationSpec("#releases"));
    assertEquals(
        "#releases",
        TestPolicies.from(List.of(notified), List.of("ci"))
            .admit(notified, "ci")
            .spec()
            .notifications()
            .slackChannel());
  }

  @Test
  void aSlackChannelInThePolicyIsOneAReleaseYamlCouldName() throws Exception {
    assertEquals(
        "policy.yaml: services.shop.slackChannel: must be a Slack channel name (#releases) or id"
            + " (C0123ABCD), got 'releases'",
        assertThrows(
                IllegalArgumentException.class,
                () ->
                    PolicyFile.parse(
                        Files.readString(Path.of("src/test/resources/policy/shop.yaml"))
                            .replace(
                                "    start: [ci, alice, dave]\n",
                                "    start: [ci, alice, dave]\n    slackChannel: releases\n"),
                        "policy.yaml"))
            .getMessage());
  }

  static ReleaseSpec withoutHosts(ReleaseSpec spec) {
    Map<String, EnvironmentSpec> envs = new LinkedHashMap<>();
    spec.environments()
        .forEach(
            (name, e) ->
                envs.put(
                    name,
                    new EnvironmentSpec(
                        e.url(), List.of(), e.slots(), e.healthPath(), e.rollbackWindow())));
    return with(spec, envs);
  }
}
