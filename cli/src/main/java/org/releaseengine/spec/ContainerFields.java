package org.releaseengine.spec;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.EngineNames;
import org.releaseengine.config.Fields;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.VolumeSpec;

/**
 * The container configuration of one environment in release.yaml ({@code env}, {@code secrets},
 * {@code volumes}, {@code memory}, {@code cpus}, {@code command}; docs/release-yaml.md), each value
 * held to the pattern that later lets it reach a host safely.
 */
final class ContainerFields {

  /** The variable the engine sets itself: the slot's port. */
  static final String PORT_VARIABLE = "PORT";

  private static final int MAX_VALUE = 4096;
  private static final long MIN_MEMORY_BYTES = 6L * 1024 * 1024; // Docker's own minimum

  private ContainerFields() {}

  /** The container part of {@code f}, or null when the environment sets none of it. */
  static ContainerSpec read(Fields f) {
    if (!(f.has("env")
        || f.has("secrets")
        || f.has("volumes")
        || f.has("memory")
        || f.has("cpus")
        || f.has("command"))) {
      return null;
    }
    Map<String, String> env = env(f, f.node("env"));
    List<String> secrets = f.optionalTexts("secrets", EngineNames.ENV_NAME, "a variable name");
    for (int i = 0; i < secrets.size(); i++) {
      String name = secrets.get(i);
      if (PORT_VARIABLE.equals(name)) {
        f.problem("secrets[" + i + "]", "PORT is set by the engine (the slot's port)");
      } else if (env.containsKey(name)) {
        f.problem("secrets[" + i + "]", name + " is also in env: a variable is one or the other");
      }
    }
    String memory = f.text("memory", EngineNames.MEMORY, "a size such as 256m or 1g", "");
    if (!memory.isEmpty() && bytes(memory) < MIN_MEMORY_BYTES) {
      f.problem("memory", "must be at least 6m (Docker's minimum)");
    }
    String cpus = f.text("cpus", EngineNames.CPUS, "a number of CPUs such as 0.5 or 2", "");
    if (!cpus.isEmpty() && Double.parseDouble(cpus) <= 0) {
      f.problem("cpus", "must be more than 0");
    }
    List<String> command =
        f.has("command")
            ? f.texts("command", EngineNames.ARGUMENT, "printable ASCII without single quotes")
            : List.of();
    return new ContainerSpec(
        env.isEmpty() ? null : env,
        secrets.isEmpty() ? null : secrets,
        volumes(f, f.node("volumes")),
        memory.isEmpty() ? null : memory,
        cpus.isEmpty() ? null : cpus,
        command.isEmpty() ? null : command);
  }

  private static Map<String, String> env(Fields f, JsonNode node) {
    Map<String, String> env = new LinkedHashMap<>();
    if (node == null || node.isNull()) {
      return env;
    }
    if (!node.isObject()) {
      f.problem("env", "must be a mapping of NAME: value");
      return env;
    }
    node.fieldNames()
        .forEachRemaining(
            name -> {
              JsonNode value = node.get(name);
              String field = "env." + name;
              if (!EngineNames.ENV_NAME.matcher(name).matches()) {
                f.problem(
                    field, "a variable name is letters, digits and '_', not starting with a digit");
              } else if (PORT_VARIABLE.equals(name)) {
                f.problem(field, "PORT is set by the engine (the slot's port)");
              } else if (value == null || !value.isValueNode() || value.isNull()) {
                f.problem(field, "must be a string, a number or true/false");
              } else if (!plain(value.asText())) {
                f.problem(field, "must be one line without control characters, at most 4096 long");
              } else {
                env.put(name, value.asText());
              }
            });
    return env;
  }

  /** Whether a value fits one line of Docker's env file. */
  static boolean plain(String value) {
    return value.length() <= MAX_VALUE && value.chars().noneMatch(c -> c < 0x20 && c != '\t');
  }

  /** {@code "name:/target[:ro]"} or {@code "/host/path:/target[:ro]"}. */
  private static List<VolumeSpec> volumes(Fields f, JsonNode node) {
    if (node == null || node.isNull()) {
      return null;
    }
    if (!node.isArray()) {
      f.problem(
          "volumes", "must be a list such as [\"data:/data\", \"/srv/app/config:/config:ro\"]");
      return null;
    }
    List<VolumeSpec> volumes = new ArrayList<>();
    List<String> targets = new ArrayList<>();
    for (int i = 0; i < node.size(); i++) {
      String field = "volumes[" + i + "]";
      JsonNode item = node.get(i);
      String[] parts = item.isTextual() ? item.asText().split(":", -1) : new String[0];
      boolean mode = parts.length == 3;
      if (parts.length < 2 || parts.length > 3 || (mode && !parts[2].matches("ro|rw"))) {
        f.problem(field, "must be SOURCE:TARGET or SOURCE:TARGET:ro");
        continue;
      }
      String source = parts[0];
      if (!(source.startsWith("/")
          ? EngineNames.ABSOLUTE_PATH.matcher(source).matches()
          : EngineNames.VOLUME_NAME.matcher(source).matches())) {
        f.problem(
            field,
            "the source must be a volume name (lowercase letters, digits, . _ -) or an absolute"
                + " host path without '..', got '"
                + source
                + "'");
        continue;
      }
      String target = parts[1];
      if (!EngineNames.ABSOLUTE_PATH.matcher(target).matches() || target.equals("/")) {
        f.problem(
            field, "the target must be an absolute path in the container, got '" + target + "'");
        continue;
      }
      if (targets.contains(target)) {
        f.problem(field, target + " is mounted twice");
        continue;
      }
      targets.add(target);
      volumes.add(new VolumeSpec(source, target, mode && parts[2].equals("ro")));
    }
    return volumes.isEmpty() ? null : volumes;
  }

  private static long bytes(String memory) {
    long n = Long.parseLong(memory.substring(0, memory.length() - 1));
    return switch (memory.charAt(memory.length() - 1)) {
      case 'k' -> n * 1024;
      case 'm' -> n * 1024 * 1024;
      case 'g' -> n * 1024 * 1024 * 1024;
      default -> n;
    };
  }
}
