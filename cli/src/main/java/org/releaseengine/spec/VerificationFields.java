package org.releaseengine.spec;

import static org.releaseengine.spec.ReleaseSpecLoader.ALL;
import static org.releaseengine.spec.ReleaseSpecLoader.COMMAND;
import static org.releaseengine.spec.ReleaseSpecLoader.NAME;
import static org.releaseengine.spec.ReleaseSpecLoader.NO_DATA;
import static org.releaseengine.spec.ReleaseSpecLoader.URL;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.releaseengine.config.Fields;
import org.releaseengine.model.CanarySpec;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.CanaryStep.Kind;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.MetricCheck.NoData;
import org.releaseengine.model.TrafficSpec;
import org.releaseengine.model.VerificationSpec;

/**
 * An environment's verification in release.yaml: its metric provider, its checks and their bounded
 * traffic, and the canary steps that analyse with them.
 */
final class VerificationFields {

  private static final String PROMETHEUS_URL = "an http(s) URL such as http://127.0.0.1:9090";

  private VerificationFields() {}

  /**
   * Steps are one-key mappings: {@code setWeight: 10}, {@code pause: 5m | until-promoted}, {@code
   * analysis: all | [names]}.
   */
  static CanarySpec canary(Fields f, VerificationSpec verification) {
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

  private static CanaryStep canaryStep(Fields f, VerificationSpec verification) {
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

  private static CanaryStep analysisStep(Fields f, VerificationSpec verification) {
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

  static VerificationSpec verification(Fields f) {
    f.allowOnly(Set.of("prometheus", "checks", "traffic"));
    Fields traffic = f.object("traffic", false);
    return new VerificationSpec(
        prometheus(f),
        f.objects("checks", true).stream().map(VerificationFields::check).toList(),
        traffic == null ? null : traffic(traffic));
  }

  /**
   * The metric provider that answers the checks, named by its key: {@code prometheus: {address:
   * http://…}}. The older {@code prometheus: http://…} still reads the same.
   */
  private static String prometheus(Fields f) {
    JsonNode named = f.node("prometheus");
    if (named == null || !named.isObject()) {
      return f.text("prometheus", URL, PROMETHEUS_URL, null);
    }
    Fields provider = f.object("prometheus", true);
    provider.allowOnly(Set.of("address"));
    return provider.text("address", URL, PROMETHEUS_URL, null);
  }

  static final Pattern TRAFFIC_PATH = Pattern.compile("/[A-Za-z0-9._~/-]{0,250}");
  static final Pattern PER_SECOND = Pattern.compile("([0-9]{1,4})(/s)?");

  /** The verification's load: bounded, so that it measures a release and never floods one. */
  private static TrafficSpec traffic(Fields f) {
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

  private static MetricCheck check(Fields f) {
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
}
