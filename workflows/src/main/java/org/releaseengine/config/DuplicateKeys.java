package org.releaseengine.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Finds a key written twice in one mapping of a YAML document or a properties file. YAML and
 * Properties both take the last silently, so a second {@code required: 1} far below the first, or a
 * second {@code scanners: []}, would win unseen: every file the engine reads (release.yaml, the
 * policy, the hosts file) is refused instead, naming the key and both lines.
 */
public final class DuplicateKeys {

  private DuplicateKeys() {}

  /**
   * The first key {@code parser} (a YAML parser at the start of its document) meets twice in one
   * mapping, as "path: written twice (lines A and B)", or null when there is none.
   */
  public static String inYaml(JsonParser parser) throws IOException {
    Deque<Map<String, Integer>> mappings = new ArrayDeque<>();
    JsonToken token;
    while ((token = parser.nextToken()) != null) {
      if (token == JsonToken.START_OBJECT) {
        mappings.push(new HashMap<>());
      } else if (token == JsonToken.END_OBJECT) {
        mappings.pop();
      } else if (token == JsonToken.FIELD_NAME) {
        int line = parser.currentTokenLocation().getLineNr();
        Integer first = mappings.peek().putIfAbsent(parser.currentName(), line);
        if (first != null) {
          return path(parser.getParsingContext())
              + ": written twice (lines "
              + first
              + " and "
              + line
              + ")";
        }
      }
    }
    return null;
  }

  /**
   * The first key a properties file's {@code lines} set twice, as "key: written twice (lines A and
   * B)", or null. Reads keys as {@link java.util.Properties} does for the files the engine uses
   * (one {@code key=value} per line, {@code #} and {@code !} comments); a continued line's next
   * line is its value, not a key.
   */
  public static String inProperties(List<String> lines) {
    Map<String, Integer> seen = new HashMap<>();
    boolean continued = false;
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).stripLeading();
      boolean wasContinued = continued;
      continued = endsContinued(line);
      if (wasContinued || line.isEmpty() || line.startsWith("#") || line.startsWith("!")) {
        continue;
      }
      String key = key(line);
      Integer first = seen.putIfAbsent(key, i + 1);
      if (first != null) {
        return key + ": written twice (lines " + first + " and " + (i + 1) + ")";
      }
    }
    return null;
  }

  private static String key(String line) {
    StringBuilder key = new StringBuilder();
    for (int i = 0; i < line.length(); i++) {
      char c = line.charAt(i);
      if (c == '\\' && i + 1 < line.length()) {
        key.append(line.charAt(++i));
      } else if (c == '=' || c == ':' || Character.isWhitespace(c)) {
        break;
      } else {
        key.append(c);
      }
    }
    return key.toString();
  }

  /** Whether a properties line ends with an odd number of backslashes (its value goes on). */
  private static boolean endsContinued(String line) {
    int slashes = 0;
    for (int i = line.length() - 1; i >= 0 && line.charAt(i) == '\\'; i--) {
      slashes++;
    }
    return slashes % 2 == 1;
  }

  /** services.shop.environments[1].approval.required, as the field paths of problems read. */
  private static String path(JsonStreamContext context) {
    Deque<String> parts = new ArrayDeque<>();
    for (JsonStreamContext c = context; c != null && !c.inRoot(); c = c.getParent()) {
      parts.push(c.inArray() ? "[" + c.getCurrentIndex() + "]" : c.getCurrentName());
    }
    StringBuilder path = new StringBuilder();
    for (String part : parts) {
      if (path.length() > 0 && !part.startsWith("[")) {
        path.append('.');
      }
      path.append(part);
    }
    return path.toString();
  }
}
