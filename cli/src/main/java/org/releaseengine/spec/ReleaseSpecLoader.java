package org.releaseengine.spec;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
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
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.MetricCheck.NoData;
import org.releaseengine.model.NotificationSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.model.VerificationSpec;

/**
 * Parses release.yaml into a {@link ReleaseSpec} and validates every field. Values that later reach
 * a remote shell or a file path are held to strict patterns here, before anything starts.
 */
public final class ReleaseSpecLoader {

  static final Pattern NAME = EngineNames.NAME;
  static final Pattern ALL = Pattern.compile("all");
  static final Pattern IDENTITY = EngineNames.IDENTITY;
  static final Pattern REPOSITORY = EngineNames.REPOSITORY;
  static final Pattern ADDRESS = EngineNames.ADDRESS;
  static final Pattern USER = Pattern.compile("[a-z_][a-z0-9_-]{0,31}");
  static final Pattern URL =
      Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?(/[A-Za-z0-9._~/-]*)?");
  static final Pattern URL_PATH = Pattern.compile("/[A-Za-z0-9._~/-]*");
  static final Pattern VERSION_PATH = Pattern.compile("none|/[A-Za-z0-9._~/-]*");
  static final Pattern RELATIVE_PATH =
      Pattern.compile("(?!/)(?!.*(^|/)\\.\\.(/|$))[A-Za-z0-9._/-]+");
  static final Pattern GIT_URL = Pattern.compile("(https?|ssh|git|file)://[^\\s'\"`$;|&<>\\\\]+");
  static final Pattern LOCAL_PATH = Pattern.compile("(?!-)[^\\x00-\\x1f'\"`$;|&<>\\\\]+");
  static final Pattern COMMAND = Pattern.compile("[^\\x00-\\x08\\x0a-\\x1f]+");
  static final Pattern NO_DATA =
      Pattern.compile(
          Arrays.stream(NoData.values()).map(NoData::value).collect(Collectors.joining("|")));
  static final Pattern NETWORK =
      Pattern.compile(
          Arrays.stream(GateNetwork.values())
              .map(GateNetwork::value)
              .collect(Collectors.joining("|")));

  private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

  public ReleaseSpec load(Path file) throws SpecException {
    String name = file.toString();
    JsonNode root;
    try {
      String text = Files.readString(file);
      String twice = DuplicateKeys.inYaml(YAML.getFactory().createParser(text));
      if (twice != null) {
        throw new SpecException(name, List.of(twice));
      }
      root = YAML.readTree(text);
    } catch (NoSuchFileException e) {
      throw new SpecException(name, List.of("no such file"));
    } catch (JacksonException e) {
      throw new SpecException(
          name,
          List.of(
              "not valid YAML: "
                  + e.getOriginalMessage()
                  + (e.getLocation() == null
                      ? ""
                      : " (line " + e.getLocation().getLineNr() + ")")));
    } catch (IOException e) {
      throw new SpecException(name, List.of("cannot read: " + e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new SpecException(
          name, List.of("must be a YAML mapping with service, source, image and environments"));
    }
    List<String> problems = new ArrayList<>();
    Path baseDir = file.toAbsolutePath().getParent();
    ReleaseSpec spec = read(new Fields(root, "", problems), baseDir);
    if (!problems.isEmpty()) {
      throw new SpecException(name, problems);
    }
    return spec;
  }

  private ReleaseSpec read(Fields root, Path baseDir) {
    root.allowOnly(
        Set.of(
            "service",
            "source",
            "image",
            "approval",
            "environments",
            "scanners",
            "e2e",
            "notifications",
            "runner"));
    String service =
        root.text(
            "service", NAME, "lowercase letters, digits and '-' (starting with a letter)", null);
    SourceSpec source = source(root.object("source", true), baseDir);
    ImageSpec image = image(root.object("image", true));
    ApprovalPolicy approval = approval(root.object("approval", false));
    String runner = root.has("runner") ? GateFields.runnerImage(root) : null;
    Walk walk = environments(root, runner);
    List<ScannerSpec> scanners =
        root.objects("scanners", false).stream().map(f -> GateFields.scanner(f, runner)).toList();
    E2eSpec e2e = null;
    if (walk.steps() != null && root.has("e2e")) {
      root.problem("e2e", "with a list of environments, each environment names its own e2e");
    } else {
      Fields e2eFields = root.object("e2e", false);
      e2e = e2eFields == null ? null : GateFields.e2e(e2eFields, runner);
    }
    Fields notifyFields = root.object("notifications", false);
    NotificationSpec notifications = null;
    if (notifyFields != null) {
      notifyFields.allowOnly(Set.of("slackChannel"));
      notifications =
          new NotificationSpec(
              notifyFields.text(
                  "slackChannel",
                  EngineNames.SLACK_CHANNEL,
                  EngineNames.SLACK_CHANNEL_MEANING,
                  null));
    }
    return new ReleaseSpec(
        service,
        source,
        image,
        approval,
        walk.environments(),
        scanners.isEmpty() ? null : scanners,
        e2e,
        notifications,
        walk.steps());
  }

  private SourceSpec source(Fields f, Path baseDir) {
    if (f == null) {
      return null;
    }
    f.allowOnly(Set.of("git", "context", "dockerfile"));
    String git = f.text("git", null, null, null);
    if (git != null) {
      git = gitLocation(f, git, baseDir);
    }
    String context = f.text("context", RELATIVE_PATH, "a relative path inside the repository", ".");
    String dockerfile =
        f.text("dockerfile", RELATIVE_PATH, "a relative path inside the context", "Dockerfile");
    return new SourceSpec(git, context, dockerfile);
  }

  /** A URL git can clone, or a local repository path (made absolute, relative to release.yaml). */
  private static String gitLocation(Fields f, String git, Path baseDir) {
    if (git.contains("://")) {
      if (SourceSpec.carriesCredentials(git)) {
        f.problem("git", SourceSpec.CREDENTIALS_REFUSED);
      } else if (!GIT_URL.matcher(git).matches()) {
        f.problem("git", "must be a plain git URL without spaces or shell characters");
      }
      return git;
    }
    if (!LOCAL_PATH.matcher(git).matches()) {
      f.problem("git", "must be a git URL or a local path without shell characters");
      return git;
    }
    Path path = baseDir.resolve(git).normalize();
    if (!Files.isDirectory(path)) {
      f.problem("git", path + " is not a directory");
    }
    return path.toString();
  }

  private ImageSpec image(Fields f) {
    if (f == null) {
      return null;
    }
    f.allowOnly(Set.of("repository"));
    return new ImageSpec(
        f.text(
            "repository",
            REPOSITORY,
            "an image repository such as 127.0.0.1:5000/team/app (lowercase, no tag)",
            null));
  }

  private ApprovalPolicy approval(Fields f) {
    return f == null ? null : ApprovalFields.read(f, false);
  }

  /** The environments by name, and their walk when they came as a list (null: the mapping). */
  private record Walk(Map<String, EnvironmentSpec> environments, List<EnvironmentStep> steps) {}

  /**
   * {@code environments:} is either the staging/production mapping (the walk {@link
   * ReleaseSpec#walk()} derives) or a list of named environments, walked in list order.
   */
  private Walk environments(Fields root, String runner) {
    if (root.isList("environments")) {
      return listed(root.objects("environments", true), runner);
    }
    if (root.has("environments") && !root.node("environments").isObject()) {
      root.problem(
          "environments",
          "must be a list of environments (each with a name) or the staging/production mapping");
      return new Walk(new LinkedHashMap<>(), null);
    }
    return new Walk(mapping(root.object("environments", true)), null);
  }

  private Map<String, EnvironmentSpec> mapping(Fields f) {
    Map<String, EnvironmentSpec> environments = new LinkedHashMap<>();
    if (f == null) {
      return environments;
    }
    f.allowOnly(Set.of(ReleaseSpec.STAGING, ReleaseSpec.PRODUCTION));
    for (String name : List.of(ReleaseSpec.STAGING, ReleaseSpec.PRODUCTION)) {
      Fields env = f.object(name, true);
      if (env != null) {
        environments.put(name, environment(env, Set.of()));
      }
    }
    return environments;
  }

  /**
   * Each item is an environment with its {@code name} and an optional {@code e2e} run against its
   * URL after its deploy. An approval is the operator policy's to give, so the steps carry none; a
   * listed environment is verified as production is in the mapping.
   */
  private Walk listed(List<Fields> items, String runner) {
    Map<String, EnvironmentSpec> environments = new LinkedHashMap<>();
    List<EnvironmentStep> steps = new ArrayList<>();
    for (Fields item : items) {
      String name =
          item.text(
              "name", NAME, "lowercase letters, digits and '-' (starting with a letter)", null);
      EnvironmentSpec environment = environment(item, Set.of("name", "e2e"));
      Fields e2eFields = item.object("e2e", false);
      E2eSpec e2e = e2eFields == null ? null : GateFields.e2e(e2eFields, runner);
      if (name == null) {
        continue;
      }
      if (environments.containsKey(name)) {
        item.problem("name", name + " is listed twice");
        continue;
      }
      environments.put(name, environment);
      steps.add(new EnvironmentStep(name, null, e2e, true));
    }
    return new Walk(environments, List.copyOf(steps));
  }

  /** One environment's fields; {@code extra} names the fields its form adds (a list's name). */
  /** The fields an environment may have (a list's items add theirs: name, e2e). */
  private static final Set<String> ENVIRONMENT_FIELDS =
      Set.of(
          "url",
          "hosts",
          "slots",
          "healthPath",
          "rollbackWindow",
          "drainTimeout",
          "verification",
          "canary",
          "healthStatus",
          "healthTimeout",
          "versionPath",
          "stopTimeout",
          "env",
          "secrets",
          "volumes",
          "memory",
          "cpus",
          "command");

  private EnvironmentSpec environment(Fields f, Set<String> extra) {
    Set<String> known = new HashSet<>(ENVIRONMENT_FIELDS);
    known.addAll(extra);
    f.allowOnly(known);
    String url = f.text("url", URL, "an http(s) URL such as http://127.0.0.1:18080", null);
    List<HostSpec> hosts = f.objects("hosts", false).stream().map(this::host).toList();
    SlotPorts slots = slots(f, hosts);
    String health =
        f.text(
            "healthPath",
            URL_PATH,
            "a URL path such as " + EnvironmentSpec.DEFAULT_HEALTH_PATH,
            EnvironmentSpec.DEFAULT_HEALTH_PATH);
    Duration window = f.duration("rollbackWindow", EnvironmentSpec.DEFAULT_ROLLBACK_WINDOW);
    Duration drain = atMost(f, "drainTimeout", Duration.ofSeconds(30), Duration.ofMinutes(10));
    Fields verificationFields = f.object("verification", false);
    VerificationSpec verification =
        verificationFields == null ? null : VerificationFields.verification(verificationFields);
    Fields canary = f.object("canary", false);
    int healthStatus = f.integer("healthStatus", 200, 399, EnvironmentSpec.DEFAULT_HEALTH_STATUS);
    Duration healthTimeout =
        atMost(f, "healthTimeout", EnvironmentSpec.DEFAULT_HEALTH_TIMEOUT, Duration.ofMinutes(10));
    String versionPath =
        f.text(
            "versionPath",
            VERSION_PATH,
            "a URL path such as /version, or none",
            EnvironmentSpec.DEFAULT_VERSION_PATH);
    Duration stopTimeout =
        atMost(f, "stopTimeout", EnvironmentSpec.DEFAULT_STOP_TIMEOUT, Duration.ofMinutes(2));
    return new EnvironmentSpec(
        url,
        hosts,
        slots,
        health,
        window,
        verification,
        canary == null ? null : VerificationFields.canary(canary, verification),
        drain,
        healthStatus,
        healthTimeout,
        versionPath,
        stopTimeout,
        ContainerFields.read(f));
  }

  /** The two slot ports: required, different, and neither a host's proxy port. */
  private static SlotPorts slots(Fields f, List<HostSpec> hosts) {
    SlotPorts slots = new SlotPorts(8081, 8082);
    Fields slotFields = f.object("slots", true);
    if (slotFields != null) {
      slotFields.allowOnly(Set.of("blue", "green"));
      slots =
          new SlotPorts(
              slotFields.integer("blue", 1, 65535, null),
              slotFields.integer("green", 1, 65535, null));
      if (slots.blue() == slots.green()) {
        slotFields.problem("green", "must differ from blue");
      }
    }
    for (int i = 0; i < hosts.size(); i++) {
      int nginx = hosts.get(i).nginxPort();
      if (nginx == slots.blue() || nginx == slots.green()) {
        f.problem("hosts[" + i + "].nginxPort", "must differ from the slot ports");
      }
    }
    return slots;
  }

  /** A duration no longer than {@code max} ("must be at most 10m" otherwise). */
  private static Duration atMost(Fields f, String field, Duration fallback, Duration max) {
    Duration value = f.duration(field, fallback);
    if (value.compareTo(max) > 0) {
      f.problem(field, "must be at most " + max.toMinutes() + "m");
    }
    return value;
  }

  private HostSpec host(Fields f) {
    f.allowOnly(Set.of("name", "address", "port", "user", "nginxPort"));
    return new HostSpec(
        f.text("name", NAME, "lowercase letters, digits and '-' (starting with a letter)", null),
        f.text("address", ADDRESS, "a host name or IP address", null),
        f.integer("port", 1, 65535, 22),
        f.text("user", USER, "a Unix user name", "deploy"),
        f.integer("nginxPort", 1, 65535, null));
  }
}
