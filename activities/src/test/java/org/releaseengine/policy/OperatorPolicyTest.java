package org.releaseengine.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.releaseengine.Specs;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ReleaseSpec;
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
