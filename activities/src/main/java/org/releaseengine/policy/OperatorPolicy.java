package org.releaseengine.policy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.providers.Providers;
import org.releaseengine.stage.PolicyActivities.Admission;

/**
 * The operator's policy (RELEASE_POLICY_FILE, docs/policy.md), as the worker holds it: per service,
 * who may start, roll back, abort and promote, its environments in order with their hosts and
 * approval; the hosts themselves, each bound to the environments and services it may run; and which
 * Slack user is which person. release.yaml owns how a service is built and rolled out; this owns
 * who and where, and a release.yaml may only tighten it.
 */
public record OperatorPolicy(
    Map<String, Service> services,
    Map<String, Host> hosts,
    Map<String, String> slackUsers,
    Path allowedSigners,
    Duration decisionMaxAge) {

  /** How long a signed decision stays good when the policy does not say. */
  public static final Duration DEFAULT_DECISION_MAX_AGE = Duration.ofMinutes(10);

  public OperatorPolicy(
      Map<String, Service> services, Map<String, Host> hosts, Map<String, String> slackUsers) {
    this(services, hosts, slackUsers, null, DEFAULT_DECISION_MAX_AGE);
  }

  /** Whether decisions must be signed: the policy names an allowed_signers file. */
  public boolean signedDecisions() {
    return allowedSigners != null;
  }

  /**
   * One service: who may do what, its environments in order, the gates its releases must run
   * ({@code require}: the policy's top-level requirements and the service's own together), the
   * widest network its scanners may ask for ({@code scannerNetwork}, none unless the policy says),
   * and the one Slack channel its release.yaml may name (null: none, the worker's default).
   */
  public record Service(
      List<String> start,
      List<String> rollback,
      List<String> abort,
      List<String> promote,
      List<Environment> environments,
      RequiredGates require,
      GateNetwork scannerNetwork,
      String slackChannel) {

    public Service(
        List<String> start,
        List<String> rollback,
        List<String> abort,
        List<String> promote,
        List<Environment> environments) {
      this(
          start,
          rollback,
          abort,
          promote,
          environments,
          RequiredGates.NONE,
          GateNetwork.NONE,
          null);
    }

    Environment environment(String name) {
      return environments.stream().filter(e -> e.name().equals(name)).findFirst().orElse(null);
    }
  }

  /**
   * One environment of a service: its hosts, the approval a deploy to it needs (or null), the URLs
   * beyond its own hosts' proxies that release.yaml may give it ({@code urls}: a load balancer's
   * name in front of the hosts, say), each an origin such as https://shop.example.com, and whether
   * a release admitted before the live one's may still deploy there ({@code allowOlderReleases}; by
   * default it is refused).
   */
  public record Environment(
      String name,
      List<String> hosts,
      ApprovalPolicy approval,
      List<String> urls,
      boolean allowOlderReleases) {

    public Environment(String name, List<String> hosts, ApprovalPolicy approval) {
      this(name, hosts, approval, List.of());
    }

    public Environment(
        String name, List<String> hosts, ApprovalPolicy approval, List<String> urls) {
      this(name, hosts, approval, urls, false);
    }
  }

  /**
   * A host: how to reach it (its proxy's port in {@code spec}), the environments and services it
   * may run, the directory under which release.yaml may mount host paths into containers (null:
   * none), and the kind of its proxy (the provider the worker routes through there).
   */
  public record Host(
      HostSpec spec,
      Set<String> environments,
      Set<String> services,
      String volumePrefix,
      String proxy) {

    public Host(HostSpec spec, Set<String> environments, Set<String> services) {
      this(spec, environments, services, null, Providers.DEFAULT_PROXY);
    }
  }

  /**
   * Admits a release: the spec with the policy's hosts and the effective approval in place.
   *
   * @throws PolicyRefusal naming the first field the policy does not allow
   */
  public Admission admit(ReleaseSpec spec, String requester) {
    Service rules = startableBy(spec, requester);
    Map<String, EnvironmentSpec> wanted =
        spec.environments() == null ? Map.of() : spec.environments();
    EnvironmentWalk.check(spec, rules, wanted);
    Map<String, EnvironmentSpec> environments = new LinkedHashMap<>();
    Map<String, List<String>> hostNames = new LinkedHashMap<>();
    Map<String, ApprovalPolicy> approvals = new LinkedHashMap<>();
    List<String> olderAllowed = new ArrayList<>();
    for (Environment allowed : rules.environments()) {
      environments.put(allowed.name(), environment(spec, allowed, wanted.get(allowed.name())));
      hostNames.put(allowed.name(), allowed.hosts());
      if (allowed.allowOlderReleases()) {
        olderAllowed.add(allowed.name());
      }
      if (allowed.approval() != null) {
        approvals.put(
            allowed.name(), tightened(allowed.name(), allowed.approval(), spec.approval()));
      }
    }
    if (approvals.isEmpty()) {
      throw new PolicyRefusal("approval: the policy names no approval for " + spec.service());
    }
    rules.require().check(spec);
    checkScannerNetwork(spec, rules);
    checkSlackChannel(spec, rules);
    return admission(spec, rules, environments, hostNames, approvals, olderAllowed);
  }

  /** The service's rules, when {@code requester} may start its releases from that source. */
  private Service startableBy(ReleaseSpec spec, String requester) {
    String service = spec.service();
    Service rules = services.get(service);
    if (rules == null) {
      throw new PolicyRefusal(
          "service: " + service + " is not a service of the operator policy; ask its operator");
    }
    if (requester == null || !rules.start().contains(requester)) {
      throw new PolicyRefusal(
          "requester: "
              + requester
              + " may not start releases of "
              + service
              + " (policy: "
              + String.join(", ", rules.start())
              + ")");
    }
    if (spec.source() != null && SourceSpec.carriesCredentials(spec.source().git())) {
      throw new PolicyRefusal("source.git: " + SourceSpec.CREDENTIALS_REFUSED);
    }
    return rules;
  }

  /**
   * release.yaml's {@code asked} for the policy's environment {@code allowed}, held to its hosts,
   * url and volume rules, with the policy's hosts in place.
   */
  private EnvironmentSpec environment(
      ReleaseSpec spec, Environment allowed, EnvironmentSpec asked) {
    String field = EnvironmentWalk.field(spec, allowed.name());
    if (asked == null) {
      throw new PolicyRefusal(field + ": missing (the policy gives " + spec.service() + " it)");
    }
    List<HostSpec> policyHosts =
        allowed.hosts().stream().map(name -> hosts.get(name).spec()).toList();
    EnvironmentHosts.checkHosts(field, asked, policyHosts);
    EnvironmentUrl.check(field + ".url", asked.url(), allowed, policyHosts);
    EnvironmentHosts.checkVolumes(field, asked, allowed.hosts(), hosts);
    return asked.withHosts(policyHosts);
  }

  /** The admitted spec and the policy in effect for it. */
  private Admission admission(
      ReleaseSpec spec,
      Service rules,
      Map<String, EnvironmentSpec> environments,
      Map<String, List<String>> hostNames,
      Map<String, ApprovalPolicy> approvals,
      List<String> olderAllowed) {
    // the status shows the first approval on the way; each step waits for its own
    ApprovalPolicy approval = approvals.values().iterator().next();
    List<EnvironmentStep> steps =
        spec.listed()
            ? spec.walk().stream().map(s -> s.withApproval(approvals.get(s.name()))).toList()
            : null;
    ReleaseSpec admitted =
        new ReleaseSpec(
            spec.service(),
            spec.source(),
            spec.image(),
            approval,
            environments,
            spec.scanners(),
            spec.e2e(),
            spec.notifications(),
            steps);
    return new Admission(
        admitted,
        new EffectivePolicy(
            spec.service(),
            rules.start(),
            approval,
            rules.rollback(),
            rules.abort(),
            rules.promote(),
            hostNames,
            signedDecisions(),
            approvals,
            // none recorded as null, as before the field: the release's history stays the same
            olderAllowed.isEmpty() ? null : List.copyOf(olderAllowed)));
  }

  /**
   * A scanner on {@code network: outbound} reads the checkout and can send it wherever the worker's
   * host routes: whether a service's scanners may is the operator's call, not the commit's.
   */
  private static void checkScannerNetwork(ReleaseSpec spec, Service rules) {
    List<ScannerSpec> scanners = spec.scanners() == null ? List.of() : spec.scanners();
    for (int i = 0; i < scanners.size(); i++) {
      if (scanners.get(i).network() == GateNetwork.OUTBOUND
          && rules.scannerNetwork() != GateNetwork.OUTBOUND) {
        throw new PolicyRefusal(
            "scanners[" + i + "].network: outbound is not allowed by the policy");
      }
    }
  }

  /**
   * Release messages carry the Approve and Reject buttons and the release's story: a commit that
   * named its own channel could send them where its author alone reads them. release.yaml may name
   * the policy's channel or none (the worker's default channel then applies).
   */
  private static void checkSlackChannel(ReleaseSpec spec, Service rules) {
    String asked = spec.notifications() == null ? null : spec.notifications().slackChannel();
    if (asked == null || asked.equals(rules.slackChannel())) {
      return;
    }
    throw new PolicyRefusal(
        "notifications.slackChannel: "
            + asked
            + (rules.slackChannel() == null
                ? " is not allowed: the policy names no channel for "
                    + spec.service()
                    + "; leave it out (the worker's default channel applies)"
                : " is not "
                    + spec.service()
                    + "'s channel in the policy ("
                    + rules.slackChannel()
                    + "); leave it out or name that one"));
  }

  /** Why {@code who} may not roll {@code environment} of {@code service} back, or null. */
  public String rollbackRefusal(String service, String environment, String who) {
    Service rules = services.get(service);
    if (rules == null) {
      return service + " is not a service of the operator policy";
    }
    if (rules.environment(environment) == null) {
      return "the policy gives " + service + " no environment " + environment;
    }
    if (who == null || !rules.rollback().contains(who)) {
      return who
          + " may not roll back "
          + service
          + " (policy: "
          + (rules.rollback().isEmpty() ? "nobody" : String.join(", ", rules.rollback()))
          + ")";
    }
    return null;
  }

  /**
   * The approval a release gets: the policy's, or release.yaml's where it asks for more (fewer
   * approvers, more of them, no self-approval, a shorter wait); anything looser is refused.
   */
  static ApprovalPolicy tightened(String environment, ApprovalPolicy policy, ApprovalPolicy asked) {
    if (asked == null) {
      return policy;
    }
    List<String> problems = new ArrayList<>();
    for (String approver : asked.approvers()) {
      if (!policy.approvers().contains(approver)) {
        problems.add(
            "approval.approvers: "
                + approver
                + " is not an approver of "
                + environment
                + " in the policy ("
                + String.join(", ", policy.approvers())
                + ")");
      }
    }
    if (asked.required() < policy.required()) {
      problems.add(
          "approval.required: "
              + asked.required()
              + " is fewer than the policy's "
              + policy.required());
    }
    if (asked.allowSelfApproval() && !policy.allowSelfApproval()) {
      problems.add("approval.allowSelfApproval: the policy does not allow self-approval");
    }
    if (asked.timeout() != null
        && policy.timeout() != null
        && asked.timeout().compareTo(policy.timeout()) > 0) {
      problems.add("approval.timeout: longer than the policy's " + policy.timeout());
    }
    List<String> approvers = asked.approvers().isEmpty() ? policy.approvers() : asked.approvers();
    if (problems.isEmpty() && asked.required() > approvers.size()) {
      problems.add(
          "approval.required: " + asked.required() + " of " + approvers.size() + " approvers");
    }
    if (!problems.isEmpty()) {
      throw new PolicyRefusal(problems.get(0));
    }
    return new ApprovalPolicy(
        approvers,
        asked.required(),
        asked.allowSelfApproval(),
        asked.timeout() == null ? policy.timeout() : asked.timeout(),
        policy.signedOnly() || asked.signedOnly());
  }
}
