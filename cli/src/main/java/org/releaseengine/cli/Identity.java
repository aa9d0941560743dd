package org.releaseengine.cli;

import java.util.regex.Pattern;

/**
 * Who the caller says they are: {@code --as}, else RELEASE_USER, else the OS user. It is an
 * assertion; on a real cluster Temporal's own authorization (mTLS, an authorizer) is what makes it
 * trustworthy.
 */
final class Identity {

  private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._@-]{0,63}");

  private Identity() {}

  static String resolve(String as) {
    String who = as;
    if (who == null || who.isBlank()) {
      who = System.getenv("RELEASE_USER");
    }
    if (who == null || who.isBlank()) {
      who = System.getProperty("user.name");
    }
    if (who == null || !VALID.matcher(who).matches()) {
      throw CliException.badInput(
          "invalid identity '" + who + "': use letters, digits, '.', '_', '@' or '-'");
    }
    return who;
  }
}
