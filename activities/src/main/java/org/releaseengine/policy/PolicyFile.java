package org.releaseengine.policy;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.releaseengine.EngineNames;
import org.releaseengine.config.ApprovalFields;
import org.releaseengine.config.DuplicateKeys;
import org.releaseengine.config.Fields;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.HostSpec;
import org.releaseengine.providers.Providers;

/** Reads and validates the operator's policy file (docs/policy.md). */
public final class PolicyFile {

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
  private static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  private static final Pattern SLACK_USER = Pattern.compile("[UW][A-Z0-9]{2,20}");
  private static final Pattern ABSOLUTE_PATH = Pattern.compile("/[^\\x00-\\x1f]*");
  private static final Pattern VOLUME_PREFIX =
      Pattern.compile("(?!.*(^|/)\\.\\.(/|$))/[A-Za-z0-9._-][A-Za-z0-9._/-]{0,250}");
  private static final Pattern NETWORK =
      Pattern.compile(
          Arrays.stream(GateNetwork.values())
              .map(GateNetwork::value)
              .collect(Collectors.joining("|")));
  private static final String IDENTITY_MEANING = "identities (letters, digits, . _ @ -)";

  /** The one environment name a release uses for itself (ReleaseWorkflowImpl's rollback id). */
  static final String RESERVED_ENVIRONMENT = "rollback";

  private PolicyFile() {}

  /**
   * The policy in {@code file}.
   *
   * @throws IllegalArgumentException with one line per problem, each naming the field
   */
  public static OperatorPolicy load(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new IllegalArgumentException(file + ": no such file");
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
    }
    return parse(text, file.toString());
  }

  /** The policy written in {@code text}; {@code file} names it in problems. */
  public static OperatorPolicy parse(String text, String file) {
    JsonNode root;
    try {
      String twice = DuplicateKeys.inYaml(YAML.getFactory().createParser(text));
      if (twice != null) {
        throw new IllegalArgumentException(file + ": " + twice);
      }
      root = YAML.readTree(text);
    } catch (JacksonException e) {
      throw new IllegalArgumentException(file + ": not valid YAML: " + e.getOriginalMessage());
    } catch (IOException e) {
      throw new IllegalArgumentException(file + ": cannot read: " + e.getMessage());
    }
    if (root == null || !root.isObject()) {
      throw new IllegalArgumentException(file + ": must be a YAML mapping with hosts and services");
    }
    List<String> problems = new ArrayList<>();
    OperatorPolicy policy = read(new Fields(root, "", problems));
    if (!problems.isEmpty()) {
      throw new IllegalArgumentException(file + ": " + String.join("; ", problems));
    }
    return policy;
  }

  private static OperatorPolicy read(Fields root) {
    root.allowOnly(
        Set.of("hosts", "services", "require", "slackUsers", "allowedSigners", "decisionMaxAge"));
    Map<String, OperatorPolicy.Host> hosts = new LinkedHashMap<>();
    Fields hostFields = root.object("hosts", true);
    if (hostFields != null) {
      for (String name : hostFields.keys()) {
        if (!EngineNames.NAME.matcher(name).matches()) {
          hostFields.problem(name, "a host name is lowercase letters, digits and '-'");
          continue;
        }
        hosts.put(name, host(name, hostFields.object(name, true)));
      }
    }
    // every service's, with the environments it names where a service has them
    RequiredGates common = RequireFields.read(root.object("require", false), null, null);
    Map<String, OperatorPolicy.Service> services = new LinkedHashMap<>();
    HostNames onHosts = new HostNames();
    Fields serviceFields = root.object("services", true);
    if (serviceFields != null) {
      for (String name : serviceFields.keys()) {
        if (!EngineNames.NAME.matcher(name).matches()) {
          serviceFields.problem(name, "a service name is lowercase letters, digits and '-'");
          continue;
        }
        services.put(name, service(name, serviceFields.object(name, true), hosts, common, onHosts));
      }
    }
    Map<String, String> slackUsers = new LinkedHashMap<>();
    Fields slack = root.object("slackUsers", false);
    if (slack != null) {
      for (String id : slack.keys()) {
        if (!SLACK_USER.matcher(id).matches()) {
          slack.problem(id, "a Slack user id such as U012AB3CD");
        }
        slackUsers.put(id, slack.text(id, EngineNames.IDENTITY, "an identity", null));
      }
    }
    String signers =
        root.has("allowedSigners")
            ? root.text("allowedSigners", ABSOLUTE_PATH, "an absolute path", null)
            : null;
    Duration maxAge = root.duration("decisionMaxAge", OperatorPolicy.DEFAULT_DECISION_MAX_AGE);
    return new OperatorPolicy(
        services, hosts, slackUsers, signers == null ? null : Path.of(signers), maxAge);
  }

  private static OperatorPolicy.Host host(String name, Fields f) {
    if (f == null) {
      return null;
    }
    f.allowOnly(
        Set.of(
            "address",
            "port",
            "user",
            "proxy",
            "nginxPort",
            "environments",
            "services",
            "volumePrefix"));
    Fields proxy = f.object("proxy", false);
    HostSpec spec =
        new HostSpec(
            name,
            f.text("address", EngineNames.ADDRESS, "a host name or IP address", null),
            f.integer("port", 1, 65535, 22),
            f.text("user", USER, "a login name", null),
            proxyPort(f, proxy));
    String volumePrefix =
        f.text("volumePrefix", VOLUME_PREFIX, "an absolute directory such as /srv/volumes", "");
    return new OperatorPolicy.Host(
        spec,
        new LinkedHashSet<>(f.texts("environments", EngineNames.NAME, "environment names")),
        new LinkedHashSet<>(f.texts("services", EngineNames.NAME, "service names")),
        volumePrefix.isEmpty() ? null : volumePrefix,
        proxyKind(proxy));
  }

  /** The kind of the host's proxy: a provider this engine has; nginx when not given. */
  private static String proxyKind(Fields proxy) {
    if (proxy == null) {
      return Providers.DEFAULT_PROXY;
    }
    proxy.allowOnly(Set.of("kind", "port"));
    Set<String> known = Providers.standard().proxies();
    String kind = proxy.text("kind", EngineNames.NAME, "a proxy kind", Providers.DEFAULT_PROXY);
    if (!known.contains(kind)) {
      proxy.problem(
          "kind", kind + " is not a proxy this engine has (" + String.join(", ", known) + ")");
    }
    return kind;
  }

  /**
   * Where the host's proxy serves: {@code proxy.port}, or {@code nginxPort} as before it (the same
   * port under its older name; both must then agree), else 80. HostSpec carries it as nginxPort.
   */
  private static int proxyPort(Fields host, Fields proxy) {
    int port = host.integer("nginxPort", 1, 65535, 80);
    if (proxy == null || !proxy.has("port")) {
      return port;
    }
    int proxyPort = proxy.integer("port", 1, 65535, port);
    if (host.has("nginxPort") && proxyPort != port) {
      host.problem(
          "nginxPort", port + " is not proxy.port " + proxyPort + " (one port: give one of them)");
    }
    return proxyPort;
  }

  private static OperatorPolicy.Service service(
      String name,
      Fields f,
      Map<String, OperatorPolicy.Host> hosts,
      RequiredGates common,
      HostNames onHosts) {
    if (f == null) {
      return null;
    }
    f.allowOnly(
        Set.of(
            "start",
            "rollback",
            "abort",
            "promote",
            "environments",
            "require",
            "scannerNetwork",
            "slackChannel"));
    // any environments, in the order a release walks them; any of them may wait for an approval
    List<OperatorPolicy.Environment> environments = new ArrayList<>();
    List<Fields> items = f.objects("environments", true);
    for (Fields item : items) {
      OperatorPolicy.Environment environment = environment(name, item, hosts, onHosts);
      if (environment.name() == null) {
        continue;
      }
      if (environments.stream().anyMatch(e -> e.name().equals(environment.name()))) {
        item.problem("name", environment.name() + " is listed twice");
        continue;
      }
      environments.add(environment);
    }
    if (!environments.isEmpty() && environments.stream().allMatch(e -> e.approval() == null)) {
      f.problem(
          "environments",
          "needs an approval on at least one environment (a release never goes out unreviewed)");
    }
    Set<String> names = new LinkedHashSet<>();
    environments.forEach(e -> names.add(e.name()));
    RequiredGates own = RequireFields.read(f.object("require", false), name, names);
    return new OperatorPolicy.Service(
        f.texts("start", EngineNames.IDENTITY, IDENTITY_MEANING),
        f.optionalTexts("rollback", EngineNames.IDENTITY, IDENTITY_MEANING),
        f.optionalTexts("abort", EngineNames.IDENTITY, IDENTITY_MEANING),
        f.optionalTexts("promote", EngineNames.IDENTITY, IDENTITY_MEANING),
        environments,
        common.only(names).and(own),
        GateNetwork.parse(
            f.text(
                "scannerNetwork",
                NETWORK,
                "none (the default) or outbound (its scanners may ask for network: outbound)",
                GateNetwork.NONE.value())),
        f.has("slackChannel")
            ? f.text(
                "slackChannel", EngineNames.SLACK_CHANNEL, EngineNames.SLACK_CHANNEL_MEANING, null)
            : null);
  }

  private static OperatorPolicy.Environment environment(
      String service, Fields f, Map<String, OperatorPolicy.Host> hosts, HostNames onHosts) {
    f.allowOnly(Set.of("name", "hosts", "approval", "urls", "allowOlderReleases"));
    String name = f.text("name", EngineNames.NAME, "an environment name", null);
    if (RESERVED_ENVIRONMENT.equals(name)) {
      // a release's own rollback request is named <release>/rollback beside its deploy orders
      f.problem(
          "name", RESERVED_ENVIRONMENT + " is a reserved name; name the environment otherwise");
    }
    List<String> hostNames = f.texts("hosts", EngineNames.NAME, "host names");
    if (hostNames.isEmpty()) {
      f.problem("hosts", "needs at least one host");
    }
    for (String host : hostNames) {
      OperatorPolicy.Host bound = hosts.get(host);
      if (bound == null) {
        f.problem("hosts", host + " is not one of the policy's hosts");
      } else if (name != null
          && (!bound.environments().contains(name) || !bound.services().contains(service))) {
        f.problem(
            "hosts",
            host + " is not bound to " + name + " of " + service + " (its environments/services)");
      } else if (name != null) {
        onHosts.claim(f, host, service, name);
      }
    }
    Fields a = f.object("approval", false);
    ApprovalPolicy approval = a == null ? null : ApprovalFields.read(a, true);
    List<String> urls =
        f.optionalTexts("urls", EnvironmentUrl.ORIGIN, EnvironmentUrl.ORIGIN_MEANING);
    // the operator's alone: a deploy of a release admitted before the live one's is refused
    // unless the environment says otherwise (release.yaml has no such field)
    boolean allowOlderReleases = f.bool("allowOlderReleases", false);
    return new OperatorPolicy.Environment(name, hostNames, approval, urls, allowOlderReleases);
  }
}
