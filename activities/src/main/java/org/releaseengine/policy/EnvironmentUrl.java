package org.releaseengine.policy;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import org.releaseengine.model.HostSpec;

/**
 * The one rule for where an environment's url may point. The worker sends its health, version and
 * verification requests there, and the E2E suite's forwarder connects there from inside the gate
 * container, so a url that release.yaml could aim anywhere would let a commit reach Temporal, the
 * worker's dashboard, a metadata address or another team's host. It must be served by the
 * environment's own hosts (a policy host's address and its proxy port) or be one of the origins the
 * operator lists for that environment ({@code urls}).
 */
final class EnvironmentUrl {

  /** An origin in the policy: scheme, host, optional port; no path, no credentials. */
  static final Pattern ORIGIN = Pattern.compile("https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?/?");

  static final String ORIGIN_MEANING =
      "origins such as https://shop.example.com or http://10.0.0.5:8080";

  private EnvironmentUrl() {}

  /**
   * Refuses {@code url} (release.yaml's {@code field}) unless {@code environment}'s hosts serve it
   * or the policy lists its origin. A null url is left to the release.yaml parser.
   *
   * @throws PolicyRefusal naming the field and what the policy allows
   */
  static void check(
      String field, String url, OperatorPolicy.Environment environment, List<HostSpec> hosts) {
    if (url == null) {
      return;
    }
    String origin = origin(url);
    if (origin != null) {
      for (HostSpec host : hosts) {
        if (origin.equals(origin(scheme(url) + "://" + host.address() + ":" + host.nginxPort()))) {
          return;
        }
      }
      for (String allowed : environment.urls()) {
        if (origin.equals(origin(allowed))) {
          return;
        }
      }
    }
    List<String> allowed = new ArrayList<>();
    hosts.forEach(h -> allowed.add(h.name() + " at " + h.address() + ":" + h.nginxPort()));
    throw new PolicyRefusal(
        field
            + ": "
            + url
            + " is not served by "
            + environment.name()
            + "'s hosts ("
            + String.join(", ", allowed)
            + ")"
            + (environment.urls().isEmpty()
                ? " and the policy lists no other urls for it"
                : " nor one of the policy's urls for it ("
                    + String.join(", ", environment.urls())
                    + ")"));
  }

  /**
   * scheme://host:port in lower case with the scheme's default port filled in; null if malformed.
   */
  static String origin(String url) {
    try {
      URI uri = new URI(url);
      String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
      if (uri.getHost() == null
          || uri.getRawUserInfo() != null
          || !("http".equals(scheme) || "https".equals(scheme))) {
        return null;
      }
      int port = uri.getPort() != -1 ? uri.getPort() : "https".equals(scheme) ? 443 : 80;
      return scheme + "://" + uri.getHost().toLowerCase(Locale.ROOT) + ":" + port;
    } catch (URISyntaxException e) {
      return null;
    }
  }

  private static String scheme(String url) {
    int colon = url.indexOf(':');
    return colon < 0 ? "" : url.substring(0, colon);
  }
}
