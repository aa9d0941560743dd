package org.releaseengine.registry;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A registry's {@code WWW-Authenticate} challenge (RFC 7235, as the OCI distribution spec and
 * Docker's token authentication use it): {@code Basic realm="…"} or {@code Bearer
 * realm="https://auth/token",service="registry",scope="repository:app:pull"}.
 */
record AuthChallenge(String scheme, Map<String, String> params) {

  private static final Pattern PARAM =
      Pattern.compile("\\s*([A-Za-z0-9_-]+)\\s*=\\s*(\"((?:[^\"\\\\]|\\\\.)*)\"|[^,\\s]*)\\s*,?");

  static AuthChallenge parse(String header) {
    String trimmed = header.trim();
    int space = trimmed.indexOf(' ');
    String scheme = (space < 0 ? trimmed : trimmed.substring(0, space)).toLowerCase(Locale.ROOT);
    Map<String, String> params = new LinkedHashMap<>();
    if (space > 0) {
      Matcher m = PARAM.matcher(trimmed.substring(space + 1));
      while (m.find() && !m.group(0).isEmpty()) {
        String value = m.group(3) != null ? m.group(3).replaceAll("\\\\(.)", "$1") : m.group(2);
        params.put(m.group(1).toLowerCase(Locale.ROOT), value);
      }
    }
    return new AuthChallenge(scheme, params);
  }

  boolean basic() {
    return scheme.equals("basic");
  }

  boolean bearer() {
    return scheme.equals("bearer");
  }

  String param(String name) {
    return params.get(name);
  }
}
