package org.releaseengine.model;

/**
 * Where the source lives (a local path or a URL git can clone) and how the image is built from it.
 */
public record SourceSpec(String git, String context, String dockerfile) {

  /** Why a {@code git} location is refused when it carries credentials (never repeating them). */
  public static final String CREDENTIALS_REFUSED =
      "must not carry credentials (a password, or a user or token before @ in an http(s) URL):"
          + " they would be recorded in the release's history, the image's labels and every"
          + " message that names the source; the worker clones with credentials of its own";

  /**
   * Whether {@code git} is a URL with credentials in it: a password for any scheme, any user for
   * http(s) (a token as the user name). ssh://git@host/repo and git@host:repo name a login, not a
   * secret.
   */
  public static boolean carriesCredentials(String git) {
    int scheme = git == null ? -1 : git.indexOf("://");
    if (scheme < 0) {
      return false;
    }
    int end = git.indexOf('/', scheme + 3);
    String authority = end < 0 ? git.substring(scheme + 3) : git.substring(scheme + 3, end);
    int at = authority.lastIndexOf('@');
    if (at < 0) {
      return false;
    }
    String protocol = git.substring(0, scheme).toLowerCase(java.util.Locale.ROOT);
    return authority.substring(0, at).contains(":")
        || protocol.equals("http")
        || protocol.equals("https");
  }
}
