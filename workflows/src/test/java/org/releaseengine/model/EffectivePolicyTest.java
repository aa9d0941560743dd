package org.releaseengine.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The recorded policy: older histories still read, and the status names each gated environment. */
class EffectivePolicyTest {

  private static final ApprovalPolicy ONE =
      new ApprovalPolicy(List.of("alice", "bob"), 1, false, Duration.ofHours(4));
  private static final ApprovalPolicy TWO =
      new ApprovalPolicy(List.of("alice", "bob", "carol"), 2, true, Duration.ofHours(24));

  @Test
  void aPolicyRecordedBeforeApprovalsPerEnvironmentReadsWithoutThem() {
    String old =
        "{\"service\":\"shop\",\"starters\":[\"ci\"],\"approval\":{\"approvers\":[\"alice\","
            + "\"bob\"],\"required\":1,\"allowSelfApproval\":false,\"timeout\":14400.0},"
            + "\"rollback\":[\"alice\"],\"abort\":[],\"promote\":[],\"hosts\":{\"staging\":"
            + "[\"s1\"],\"production\":[\"p1\"]},\"signedDecisions\":false}";
    EffectivePolicy read = Json.read(old, EffectivePolicy.class);
    assertNull(read.approvals());
    assertEquals(ONE, read.approval());
    assertEquals(
        "policy: staging on s1; production on p1; approval 1 of alice, bob; rollback alice; abort"
            + " nobody and the requester; promote nobody",
        read.summary());
  }

  @Test
  void theSummaryNamesEachGatedEnvironmentsApproval() {
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    hosts.put("dev", List.of("d1"));
    hosts.put("staging", List.of("s1"));
    hosts.put("production-eu", List.of("e1", "e2"));
    Map<String, ApprovalPolicy> approvals = new LinkedHashMap<>();
    approvals.put("staging", ONE);
    approvals.put("production-eu", TWO);
    EffectivePolicy policy =
        new EffectivePolicy(
            "shop", List.of("ci"), ONE, List.of(), List.of(), List.of(), hosts, true, approvals);
    assertEquals(
        "policy: dev on d1; staging on s1; production-eu on e1, e2; approval staging 1 of alice,"
            + " bob; approval production-eu 2 of alice, bob, carol (self-approval allowed);"
            + " rollback nobody; abort nobody and the requester; promote nobody; decisions signed",
        policy.summary());
    assertEquals(policy, Json.read(Json.write(policy), EffectivePolicy.class));
  }

  @Test
  void aPolicyRecordedBeforeOlderReleasesCouldBeAllowedAllowsThemNowhere() {
    String old =
        "{\"service\":\"shop\",\"starters\":[\"ci\"],\"approval\":{\"approvers\":[\"alice\","
            + "\"bob\"],\"required\":1,\"allowSelfApproval\":false,\"timeout\":14400.0},"
            + "\"rollback\":[],\"abort\":[],\"promote\":[],\"hosts\":{\"production\":[\"p1\"]},"
            + "\"signedDecisions\":false,\"approvals\":{\"production\":{\"approvers\":[\"alice\","
            + "\"bob\"],\"required\":1,\"allowSelfApproval\":false,\"timeout\":14400.0}}}";
    EffectivePolicy read = Json.read(old, EffectivePolicy.class);
    assertNull(read.olderReleasesAllowed());
    assertFalse(read.allowsOlderReleases("production"));
    assertFalse(read.summary().contains("older"), read.summary());
  }

  @Test
  void theEnvironmentsThatAllowOlderReleasesAreRecordedAndShown() {
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    hosts.put("staging", List.of("s1"));
    hosts.put("production", List.of("p1"));
    EffectivePolicy none =
        new EffectivePolicy(
            "shop",
            List.of("ci"),
            ONE,
            List.of(),
            List.of(),
            List.of(),
            hosts,
            false,
            Map.of("production", ONE));
    assertFalse(
        Json.write(none).contains("olderReleasesAllowed"), "left out of the JSON when none");
    EffectivePolicy staging =
        new EffectivePolicy(
            "shop",
            List.of("ci"),
            ONE,
            List.of(),
            List.of(),
            List.of(),
            hosts,
            false,
            Map.of("production", ONE),
            List.of("staging"));
    assertTrue(staging.allowsOlderReleases("staging"));
    assertFalse(staging.allowsOlderReleases("production"));
    assertTrue(
        staging.summary().endsWith("; older releases allowed in staging"), staging.summary());
    assertEquals(staging, Json.read(Json.write(staging), EffectivePolicy.class));
  }
}
