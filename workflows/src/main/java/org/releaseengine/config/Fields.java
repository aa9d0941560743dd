package org.releaseengine.config;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads typed values out of one YAML mapping, collecting a problem (with the field's full path) for
 * every value that is missing, of the wrong type, out of range or not allowed.
 */
public final class Fields {

  private final JsonNode node;
  private final String path;
  private final List<String> problems;

  public Fields(JsonNode node, String path, List<String> problems) {
    this.node = node;
    this.path = path;
    this.problems = problems;
  }

  public String path(String field) {
    return path.isEmpty() ? field : path + "." + field;
  }

  public void problem(String field, String what) {
    problems.add(path(field) + ": " + what);
  }

  /** A problem with this mapping as a whole. */
  public void problem(String what) {
    problems.add(path + ": " + what);
  }

  /** Reports every key of this mapping that is not one of {@code known}. */
  public void allowOnly(Set<String> known) {
    for (Iterator<String> it = node.fieldNames(); it.hasNext(); ) {
      String name = it.next();
      if (!known.contains(name)) {
        problem(
            name,
            "unknown field (expected one of "
                + String.join(", ", known.stream().sorted().toList())
                + ")");
      }
    }
  }

  public boolean has(String field) {
    return node.hasNonNull(field);
  }

  /** The raw value under {@code field} (null when absent), for shapes these readers lack. */
  public JsonNode node(String field) {
    return node.get(field);
  }

  public boolean isList(String field) {
    return node.hasNonNull(field) && node.get(field).isArray();
  }

  public String text(String field, Pattern pattern, String patternMeaning, String fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback == null) {
        problem(field, "required");
      }
      return fallback;
    }
    if (!value.isValueNode() || value.isBoolean()) {
      problem(field, "must be a string");
      return fallback;
    }
    String text = value.asText();
    if (pattern != null && !pattern.matcher(text).matches()) {
      problem(field, "must be " + patternMeaning + ", got '" + printable(text) + "'");
      return fallback;
    }
    return text;
  }

  public int integer(String field, int min, int max, Integer fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (fallback == null) {
        problem(field, "required");
        return min;
      }
      return fallback;
    }
    if (!value.canConvertToInt()
        || !value.isIntegralNumber()
        || value.asInt() < min
        || value.asInt() > max) {
      problem(field, "must be " + min + "-" + max);
      return fallback == null ? min : fallback;
    }
    return value.asInt();
  }

  public Double number(String field) {
    JsonNode value = node.get(field);
    if (value == null || !value.isNumber()) {
      problem(field, "must be a number");
      return null;
    }
    return value.asDouble();
  }

  public boolean bool(String field, boolean fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    if (!value.isBoolean()) {
      problem(field, "must be true or false");
      return fallback;
    }
    return value.asBoolean();
  }

  public Duration duration(String field, Duration fallback) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return fallback;
    }
    Duration parsed = value.isTextual() ? Durations.parse(value.asText()) : null;
    if (parsed == null || parsed.isZero()) {
      problem(field, "must be a positive duration such as 90s, 30m or 24h");
      return fallback;
    }
    return parsed;
  }

  /** The mapping under {@code field}, or null (with a problem if it was required). */
  public Fields object(String field, boolean required) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      if (required) {
        problem(field, "required");
      }
      return null;
    }
    if (!value.isObject()) {
      problem(field, "must be a mapping");
      return null;
    }
    return new Fields(value, path(field), problems);
  }

  /** The items under {@code field}, each as its own mapping, or an empty list. */
  public List<Fields> objects(String field, boolean required) {
    JsonNode value = node.get(field);
    List<Fields> items = new ArrayList<>();
    if (value == null || value.isNull()) {
      if (required) {
        problem(field, "required");
      }
      return items;
    }
    if (!value.isArray()) {
      problem(field, "must be a list");
      return items;
    }
    for (int i = 0; i < value.size(); i++) {
      if (!value.get(i).isObject()) {
        problems.add(path(field) + "[" + i + "]: must be a mapping");
      } else {
        items.add(new Fields(value.get(i), path(field) + "[" + i + "]", problems));
      }
    }
    if (required && value.isEmpty()) {
      problem(field, "must not be empty");
    }
    return items;
  }

  /** A list of texts that may be absent or empty (an empty list then). */
  public List<String> optionalTexts(String field, Pattern pattern, String patternMeaning) {
    JsonNode value = node.get(field);
    if (value == null || value.isNull() || (value.isArray() && value.isEmpty())) {
      return new ArrayList<>();
    }
    return texts(field, pattern, patternMeaning);
  }

  public List<String> texts(String field, Pattern pattern, String patternMeaning) {
    JsonNode value = node.get(field);
    List<String> items = new ArrayList<>();
    if (value == null || !value.isArray() || value.isEmpty()) {
      problem(field, "must be a non-empty list");
      return items;
    }
    for (int i = 0; i < value.size(); i++) {
      String text = value.get(i).asText();
      if (!value.get(i).isValueNode() || !pattern.matcher(text).matches()) {
        problems.add(
            path(field)
                + "["
                + i
                + "]: must be "
                + patternMeaning
                + ", got '"
                + printable(text)
                + "'");
      } else if (items.contains(text)) {
        problems.add(path(field) + "[" + i + "]: " + text + " is listed twice");
      } else {
        items.add(text);
      }
    }
    return items;
  }

  /**
   * The mapping of strings under {@code field} (empty when absent), each key and value held to its
   * pattern; numbers and booleans count as their text.
   */
  public Map<String, String> textMap(
      String field,
      Pattern keyPattern,
      String keyMeaning,
      Pattern valuePattern,
      String valueMeaning) {
    Map<String, String> items = new LinkedHashMap<>();
    JsonNode value = node.get(field);
    if (value == null || value.isNull()) {
      return items;
    }
    if (!value.isObject()) {
      problem(field, "must be a mapping of names to values");
      return items;
    }
    for (Iterator<Map.Entry<String, JsonNode>> it = value.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      String key = path(field) + "." + printable(entry.getKey());
      if (!keyPattern.matcher(entry.getKey()).matches()) {
        problems.add(key + ": must be " + keyMeaning);
      } else if (!entry.getValue().isValueNode() || entry.getValue().isNull()) {
        problems.add(key + ": must be a string");
      } else if (!valuePattern.matcher(entry.getValue().asText()).matches()) {
        problems.add(key + ": must be " + valueMeaning);
      } else {
        items.put(entry.getKey(), entry.getValue().asText());
      }
    }
    return items;
  }

  /** Names of the keys of the mapping under {@code field}. */
  public List<String> keys() {
    List<String> names = new ArrayList<>();
    node.fieldNames().forEachRemaining(names::add);
    return names;
  }

  private static String printable(String text) {
    String oneLine = text.replace("\n", "\\n").replace("\r", "\\r");
    return oneLine.length() > 60 ? oneLine.substring(0, 60) + "…" : oneLine;
  }
}
