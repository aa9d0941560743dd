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
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
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
import org.releaseengine.GateNames;
import org.releaseengine.config.ApprovalFields;
import org.releaseengine.config.DuplicateKeys;
import org.releaseengine.config.Fields;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.CanarySpec;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.CanaryStep.Kind;
import org.releaseengine.model.E2eSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.EnvironmentStep;
import org.releaseengine.model.GateNetwork;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageSpec;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.MetricCheck.NoData;
import org.releaseengine.model.NotificationSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReportFormat;
import org.releaseengine.model.ScannerSpec;
import org.releaseengine.model.ScannerSpec.AllowlistEntry;
import org.releaseengine.model.ScannerSpec.FailOn;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.SourceSpec;
import org.releaseengine.model.TrafficSpec;
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
    String runner = root.has("runner") ? runnerImage(root) : null;
    Walk walk = environments(root, runner);
    List<ScannerSpec> scanners =
        root.objects("scanners", false).stream().map(f -> scanner(f, runner)).toList();
    E2eSpec e2e = null;
    if (walk.steps() != null && root.has("e2e")) {
      root.problem("e2e", "with a list of environments, each environment names its own e2e");
    } else {
      Fields e2eFields = root.object("e2e", false);
      e2e = e2eFields == null ? null : e2e(e2eFields, runner);
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
      E2eSpec e2e = e2eFields == null ? null : e2e(e2eFields, runner);
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
  private EnvironmentSpec environment(Fields f, Set<String> extra) {
    Set<String> known =
        new HashSet<>(
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
                "command"));
    known.addAll(extra);
    f.allowOnly(known);
    String url = f.text("url", URL, "an http(s) URL such as http://127.0.0.1:18080", null);
    List<HostSpec> hosts = f.objects("hosts", false).stream().map(this::host).toList();
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
    String health =
        f.text(
            "healthPath",
            URL_PATH,
            "a URL path such as " + EnvironmentSpec.DEFAULT_HEALTH_PATH,
            EnvironmentSpec.DEFAULT_HEALTH_PATH);
    Duration window = f.duration("rollbackWindow", EnvironmentSpec.DEFAULT_ROLLBACK_WINDOW);
    Duration drain = f.duration("drainTimeout", Duration.ofSeconds(30));
    if (drain.compareTo(Duration.ofMinutes(10)) > 0) {
      f.problem("drainTimeout", "must be at most 10m");
    }
    Fields verificationFields = f.object("verification", false);
    VerificationSpec verification =
        verificationFields == null ? null : verification(verificationFields);
    Fields canary = f.object("canary", false);
    int healthStatus = f.integer("healthStatus", 200, 399, EnvironmentSpec.DEFAULT_HEALTH_STATUS);
    Duration healthTimeout = f.duration("healthTimeout", EnvironmentSpec.DEFAULT_HEALTH_TIMEOUT);
    if (healthTimeout.compareTo(Duration.ofMinutes(10)) > 0) {
      f.problem("healthTimeout", "must be at most 10m");
    }
    String versionPath =
        f.text(
            "versionPath",
            VERSION_PATH,
            "a URL path such as /version, or none",
            EnvironmentSpec.DEFAULT_VERSION_PATH);
    Duration stopTimeout = f.duration("stopTimeout", EnvironmentSpec.DEFAULT_STOP_TIMEOUT);
    if (stopTimeout.compareTo(Duration.ofMinutes(2)) > 0) {
      f.problem("stopTimeout", "must be at most 2m");
    }
    return new EnvironmentSpec(
        url,
        hosts,
        slots,
        health,
        window,
        verification,
        canary == null ? null : canary(canary, verification),
        drain,
        healthStatus,
        healthTimeout,
        versionPath,
        stopTimeout,
        ContainerFields.read(f));
  }

  /**
   * Steps are one-key mappings: {@code setWeight: 10}, {@code pause: 5m | until-promoted}, {@code
   * analysis: all | [names]}.
   */
  private CanarySpec canary(Fields f, VerificationSpec verification) {
    f.allowOnly(Set.of("steps"));
    List<Fields> items = f.objects("steps", true);
    List<CanaryStep> steps = new ArrayList<>();
    for (Fields item : items) {
      CanaryStep step = canaryStep(item, verification);
      if (step != null) {
        steps.add(step);
      }
    }
    if (!items.isEmpty() && steps.stream().noneMatch(s -> s.kind() == Kind.SET_WEIGHT)) {
      f.problem("steps", "needs at least one setWeight step (the canary would get no traffic)");
    }
    return new CanarySpec(steps);
  }

  private CanaryStep canaryStep(Fields f, VerificationSpec verification) {
    f.allowOnly(Arrays.stream(Kind.values()).map(Kind::value).collect(Collectors.toSet()));
    List<String> keys = f.keys();
    if (keys.size() != 1) {
      f.problem("must have exactly one of setWeight, pause or analysis");
      return null;
    }
    Kind kind = Kind.parse(keys.get(0));
    if (kind == null) {
      return null;
    }
    return switch (kind) {
      case SET_WEIGHT -> CanaryStep.setWeight(f.integer(kind.value(), 1, 99, null));
      case PAUSE ->
          "until-promoted".equals(f.text(kind.value(), null, null, ""))
              ? CanaryStep.pause(null)
              : CanaryStep.pause(f.duration(kind.value(), null));
      case ANALYSIS -> analysisStep(f, verification);
    };
  }

  private CanaryStep analysisStep(Fields f, VerificationSpec verification) {
    if (verification == null) {
      f.problem(
          Kind.ANALYSIS.value(),
          "needs the environment's verification (its Prometheus and checks)");
      return null;
    }
    if (!f.isList(Kind.ANALYSIS.value())) {
      f.text(Kind.ANALYSIS.value(), ALL, "all or a list of verification check names", null);
      return CanaryStep.analysis(List.of());
    }
    List<String> names = f.texts(Kind.ANALYSIS.value(), NAME, "a check name");
    for (String name : names) {
      if (verification.checks().stream().noneMatch(c -> c.name().equals(name))) {
        f.problem(Kind.ANALYSIS.value(), "no verification check is named " + name);
      }
    }
    return CanaryStep.analysis(names);
  }

  private VerificationSpec verification(Fields f) {
    f.allowOnly(Set.of("prometheus", "checks", "traffic"));
    Fields traffic = f.object("traffic", false);
    return new VerificationSpec(
        f.text("prometheus", URL, "an http(s) URL such as http://127.0.0.1:9090", null),
        f.objects("checks", true).stream().map(this::check).toList(),
        traffic == null ? null : traffic(traffic));
  }

  static final Pattern TRAFFIC_PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,250}");
  static final Pattern PER_SECOND = Pattern.compile("([0-9]{1,4})(/s)?");

  /** The verification's load: bounded, so that it measures a release and never floods one. */
  private TrafficSpec traffic(Fields f) {
    f.allowOnly(Set.of("path", "rate", "duration"));
    String path = f.text("path", TRAFFIC_PATH, "a path such as /hello", "/");
    String rateMeaning = "requests a second, 1-" + TrafficSpec.MAX_RATE + ", such as 10/s";
    JsonNode rateNode = f.node("rate");
    int rate = 1;
    if (rateNode == null || rateNode.isNull()) {
      f.problem("rate", "required (" + rateMeaning + ")");
    } else {
      var matched = PER_SECOND.matcher(rateNode.asText());
      if (!rateNode.isValueNode()
          || !matched.matches()
          || Integer.parseInt(matched.group(1)) < 1
          || Integer.parseInt(matched.group(1)) > TrafficSpec.MAX_RATE) {
        f.problem("rate", "must be " + rateMeaning + ", got '" + rateNode.asText() + "'");
      } else {
        rate = Integer.parseInt(matched.group(1));
      }
    }
    Duration duration = f.duration("duration", null);
    if (!f.has("duration")) {
      f.problem("duration", "required, at most " + TrafficSpec.MAX_DURATION.toMinutes() + "m");
    } else if (duration != null
        && (duration.compareTo(TrafficSpec.MAX_DURATION) > 0 || duration.toSeconds() < 1)) {
      f.problem(
          "duration",
          "must be 1s to " + TrafficSpec.MAX_DURATION.toMinutes() + "m (a bounded load)");
    }
    return new TrafficSpec(path, rate, duration == null ? Duration.ofSeconds(1) : duration);
  }

  private MetricCheck check(Fields f) {
    f.allowOnly(
        Set.of(
            "name",
            "query",
            "min",
            "max",
            "interval",
            "count",
            "failureLimit",
            "noData",
            "consecutiveErrorLimit"));
    Double min = f.has("min") ? f.number("min") : null;
    Double max = f.has("max") ? f.number("max") : null;
    if (min == null && max == null) {
      f.problem("max", "a check needs min, max or both");
    }
    NoData noData =
        NoData.parse(f.text("noData", NO_DATA, "fail, pass or ignore", NoData.IGNORE.value()));
    return new MetricCheck(
        f.text("name", NAME, "lowercase letters, digits and '-'", null),
        f.text("query", COMMAND, "a PromQL query on one line", null),
        min,
        max,
        f.duration("interval", Duration.ofSeconds(10)),
        f.integer("count", 1, 1000, 5),
        f.integer("failureLimit", 0, 1000, 0),
        noData,
        f.integer("consecutiveErrorLimit", 0, 1000, MetricCheck.DEFAULT_CONSECUTIVE_ERROR_LIMIT));
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

  private ScannerSpec scanner(Fields f, String defaultRunner) {
    f.allowOnly(
        Set.of(
            "name",
            "command",
            "report",
            "format",
            "failOn",
            "timeout",
            "allowlist",
            "runner",
            "env",
            "network"));
    String formatText = f.text("format", null, null, null);
    ReportFormat format = ReportFormat.parse(formatText);
    if (formatText != null && format == null) {
      f.problem("format", "unknown format '" + formatText + "' (expected sarif, npm-audit or osv)");
    }
    String failOnText = f.text("failOn", null, null, FailOn.HIGH.value());
    FailOn failOn = FailOn.parse(failOnText);
    if (failOn == null) {
      f.problem(
          "failOn",
          "unknown severity '"
              + failOnText
              + "' (expected one of critical, high, "
              + "moderate, medium, low, error, warning, note)");
    }
    List<AllowlistEntry> allowlist =
        f.objects("allowlist", false).stream().map(this::allow).toList();
    return new ScannerSpec(
        f.text("name", NAME, "lowercase letters, digits and '-'", null),
        f.text("command", COMMAND, "a command on one line", null),
        f.text("report", RELATIVE_PATH, "a relative path inside the checkout", null),
        format,
        failOn,
        f.duration("timeout", Duration.ofMinutes(10)),
        allowlist,
        runner(f, defaultRunner, "the image the scanner runs in"),
        gateEnv(f),
        GateNetwork.parse(
            f.text(
                "network", NETWORK, "none (the default) or outbound", GateNetwork.NONE.value())));
  }

  /** The image a gate command runs in: its own {@code runner}, else the top-level one. */
  private static String runner(Fields f, String defaultRunner, String what) {
    if (f.has("runner")) {
      return runnerImage(f);
    }
    if (defaultRunner == null) {
      f.problem("runner", "required: " + what + " (or a top-level runner)");
    }
    return defaultRunner;
  }

  private static String runnerImage(Fields f) {
    return f.text(
        "runner",
        GateNames.RUNNER_IMAGE,
        "an image such as 127.0.0.1:5000/team/runner:1 (lowercase repository, optional tag or digest)",
        null);
  }

  /** {@code env: {NAME: value}}: literal values, the only variables the container gets. */
  private static Map<String, String> gateEnv(Fields f) {
    Map<String, String> env =
        f.textMap(
            "env",
            GateNames.ENV_NAME,
            "a variable name (letters, digits and '_', not starting with a digit)",
            GateNames.ENV_VALUE,
            "a value on one line of at most 4096 characters");
    for (String name : env.keySet()) {
      if (GateNames.RESERVED.contains(name)) {
        f.problem("env." + name, "is set by the engine and may not be declared");
      }
    }
    return env.isEmpty() ? null : env;
  }

  private AllowlistEntry allow(Fields f) {
    f.allowOnly(Set.of("id", "reason", "expires"));
    String expires = f.text("expires", null, null, null);
    if (expires != null) {
      try {
        LocalDate.parse(expires);
      } catch (DateTimeParseException e) {
        f.problem("expires", "must be a date such as 2027-01-31");
      }
    }
    return new AllowlistEntry(
        f.text("id", null, null, null), f.text("reason", null, null, null), expires);
  }

  private E2eSpec e2e(Fields f, String defaultRunner) {
    f.allowOnly(Set.of("command", "junitReports", "timeout", "runner", "env"));
    return new E2eSpec(
        f.text("command", COMMAND, "a command on one line", null),
        f.has("junitReports")
            ? f.text("junitReports", RELATIVE_PATH, "a relative path inside the checkout", null)
            : null,
        f.duration("timeout", Duration.ofMinutes(10)),
        runner(f, defaultRunner, "the image the E2E suite runs in"),
        gateEnv(f));
  }
}
