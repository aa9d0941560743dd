package org.releaseengine.policy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ReleaseSpec;

/**
 * Operator policies for tests and benches that release specs of their own: each spec's hosts are
 * bound to its environments and service, its approval is the policy's, its scanners may go outbound
 * where one asks to, and {@code people} may start, roll back, abort and promote. Written as the
 * YAML an operator would write.
 */
public final class TestPolicies {

  private TestPolicies() {}

  public static OperatorPolicy from(Collection<ReleaseSpec> specs, List<String> people) {
    return PolicyFile.parse(yaml(specs, people), "test policy");
  }

  public static String yaml(Collection<ReleaseSpec> specs, List<String> people) {
    Map<String, Map<String, Object>> hosts = new LinkedHashMap<>();
    Map<String, Object> services = new LinkedHashMap<>();
    for (ReleaseSpec spec : specs) {
      List<Object> environments = new ArrayList<>();
      for (Map.Entry<String, EnvironmentSpec> env : spec.environments().entrySet()) {
        List<String> names = new ArrayList<>();
        for (HostSpec host : env.getValue().hosts()) {
          names.add(host.name());
          Map<String, Object> entry =
              hosts.computeIfAbsent(
                  host.name(),
                  n -> {
                    Map<String, Object> h = new LinkedHashMap<>();
                    h.put("address", host.address());
                    h.put("port", host.port());
                    h.put("user", host.user());
                    h.put("nginxPort", host.nginxPort());
                    h.put("environments", new LinkedHashSet<String>());
                    h.put("services", new LinkedHashSet<String>());
                    return h;
                  });
          set(entry, "environments").add(env.getKey());
          set(entry, "services").add(spec.service());
        }
        Map<String, Object> environment = new LinkedHashMap<>();
        environment.put("name", env.getKey());
        environment.put("hosts", names);
        ApprovalPolicy gate = gate(spec, env.getKey());
        if (gate != null) {
          environment.put("approval", approval(gate));
        }
        environments.add(environment);
      }
      Map<String, Object> service = new LinkedHashMap<>();
      service.put("start", people);
      service.put("rollback", people);
      service.put("abort", people);
      service.put("promote", people);
      service.put("environments", environments);
      if (spec.scanners() != null
          && spec.scanners().stream().anyMatch(s -> s.network() == GateNetwork.OUTBOUND)) {
        service.put("scannerNetwork", GateNetwork.OUTBOUND.value());
      }
      if (spec.notifications() != null && spec.notifications().slackChannel() != null) {
        service.put("slackChannel", spec.notifications().slackChannel());
      }
      services.put(spec.service(), service);
    }
    Map<String, Object> root = new LinkedHashMap<>();
    root.put("hosts", hosts);
    root.put("services", services);
    try {
      return new ObjectMapper(new YAMLFactory()).writeValueAsString(root);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The approval the policy gives {@code environment}: production's is the spec's approval with the
   * mapping; with a list, each step's own, or (when no step carries one) the spec's approval on the
   * last environment.
   */
  private static ApprovalPolicy gate(ReleaseSpec spec, String environment) {
    if (!spec.listed()) {
      return ReleaseSpec.PRODUCTION.equals(environment) ? spec.approval() : null;
    }
    List<EnvironmentStep> steps = spec.steps();
    if (steps.stream().allMatch(s -> s.approval() == null)) {
      return steps.get(steps.size() - 1).name().equals(environment) ? spec.approval() : null;
    }
    return steps.stream()
        .filter(s -> s.name().equals(environment))
        .map(EnvironmentStep::approval)
        .findFirst()
        .orElse(null);
  }

  @SuppressWarnings("unchecked")
  private static Set<String> set(Map<String, Object> host, String key) {
    return (Set<String>) host.get(key);
  }

  private static Map<String, Object> approval(ApprovalPolicy approval) {
    Map<String, Object> a = new LinkedHashMap<>();
    a.put("approvers", approval.approvers());
    a.put("required", approval.required());
    a.put("allowSelfApproval", approval.allowSelfApproval());
    if (approval.timeout() != null) {
      a.put("timeout", approval.timeout().toSeconds() + "s");
    }
    return a;
  }
}
