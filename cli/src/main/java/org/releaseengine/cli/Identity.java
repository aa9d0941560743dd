package org.releaseengine.cli;

import org.releaseengine.EngineNames;

/**
 * Who the caller says they are: {@code --as}, else RELEASE_USER, else the OS user. It is an
 * assertion; on a real cluster Temporal's own authorization (mTLS, an authorizer) is what makes it
 * trustworthy.
 */
final class Identity {

  private Identity() {}

  static String resolve(String as) {
    String who = as;
    if (who == null || who.isBlank()) {
      who = System.getenv("RELEASE_USER");
    }
    if (who == null || who.isBlank()) {
      who = System.getProperty("user.name");
    }
    if (who == null || !EngineNames.IDENTITY.matcher(who).matches()) {
      throw CliException.badInput(
          "invalid identity '" + who + "': use letters, digits, '.', '_', '@' or '-'");
    }
    return who;
  }
}
