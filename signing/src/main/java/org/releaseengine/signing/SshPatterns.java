package org.releaseengine.signing;

/**
 * OpenSSH pattern-lists (ssh_config(5), PATTERNS): comma-separated patterns where {@code *} matches
 * any run of characters and {@code ?} exactly one; a pattern starting with {@code !} negates, and a
 * negated match refuses the whole list. Matching is case-sensitive, as for the principals and
 * namespaces of allowed_signers.
 */
final class SshPatterns {

  private SshPatterns() {}

  /** Whether {@code value} matches {@code list}: some positive pattern and no negated one. */
  static boolean matchesList(String value, String list) {
    boolean positive = false;
    for (String pattern : list.split(",", -1)) {
      boolean negated = pattern.startsWith("!");
      if (matches(value, negated ? pattern.substring(1) : pattern)) {
        if (negated) {
          return false;
        }
        positive = true;
      }
    }
    return positive;
  }

  /** Whether {@code pattern} holds no wildcard and no negation: it names exactly one value. */
  static boolean isLiteral(String pattern) {
    return !pattern.isEmpty() && pattern.chars().noneMatch(c -> c == '*' || c == '?' || c == '!');
  }

  /** Glob match of the whole of {@code value}, backtracking to the last {@code *} on mismatch. */
  static boolean matches(String value, String pattern) {
    int v = 0;
    int p = 0;
    int star = -1;
    int resume = 0;
    while (v < value.length()) {
      if (p < pattern.length()
          && (pattern.charAt(p) == '?' || pattern.charAt(p) == value.charAt(v))) {
        v++;
        p++;
      } else if (p < pattern.length() && pattern.charAt(p) == '*') {
        star = p++;
        resume = v;
      } else if (star >= 0) {
        p = star + 1;
        v = ++resume;
      } else {
        return false;
      }
    }
    while (p < pattern.length() && pattern.charAt(p) == '*') {
      p++;
    }
    return p == pattern.length();
  }
}
