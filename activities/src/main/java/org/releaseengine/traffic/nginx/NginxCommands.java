package org.releaseengine.traffic.nginx;

import static org.releaseengine.ssh.ShellValues.quote;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostScript;
import org.releaseengine.ssh.ShellValues.Kind;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * The commands that route one service on one host's nginx, each a script beside this class with its
 * values as arguments. Every value is checked and quoted in the constructor (ShellValues), so an
 * unsafe value fails before a single command exists. Each command is idempotent.
 */
final class NginxCommands {

  private final String prefix;
  private final String service;
  private final String upstream;
  private final String siteText;
  private final String scheme;
  private final String address;
  private final String nginxPort;
  private final String healthPath;
  private final Map<Slot, String> ports = new EnumMap<>(Slot.class);

  NginxCommands(SlotTarget target, HostSpec host, HostConfig config) {
    service = quote(Kind.NAME, "service", target.service());
    prefix = quote(Kind.PATH, "nginx prefix", config.nginxPrefix());
    upstream = prefix + "/upstreams/" + service + ".conf";
    address = quote(Kind.ADDRESS, "host address", host.address());
    nginxPort = quote(Kind.PORT, "nginx port", host.nginxPort());
    healthPath = quote(Kind.URL_PATH, "health path", target.spec().healthPath());
    for (Slot slot : Slot.values()) {
      ports.put(slot, quote(Kind.PORT, "slot port", target.spec().slots().portOf(slot)));
    }
    boolean tls = https(target.spec().url());
    if (tls && !config.tls()) {
      throw new UnsafeValue(
          "the url is https but host '"
              + config.name()
              + "' has no tlsCertificate and tlsKey (RELEASE_HOSTS_FILE)");
    }
    scheme = tls ? "https" : "http";
    siteText =
        quote(
            Kind.CONFIG_TEXT,
            "nginx site",
            NginxSite.render(
                target.service(),
                host.address(),
                host.nginxPort(),
                config.nginxPrefix(),
                tls ? unquote(quote(Kind.PATH, "tlsCertificate", config.tlsCertificate())) : null,
                tls ? unquote(quote(Kind.PATH, "tlsKey", config.tlsKey())) : null));
  }

  /** Whether an environment's public URL is served over HTTPS (its hosts need TLS files). */
  static boolean https(String url) {
    return url != null && url.regionMatches(true, 0, "https://", 0, 8);
  }

  /**
   * The upstream's server lines as nginx runs them: the copy of what it last loaded, else the file
   * (empty before the first deploy). UpstreamLines reads them.
   */
  String serving() {
    return script("serving.sh", upstream).command();
  }

  /**
   * A check that prints {@code message} and exits {@code exit} while nginx sends {@code slot} any.
   */
  HostScript unlessServing(Slot slot, int exit, String message) {
    return script(
        "unless-serving.sh",
        upstream,
        ports.get(slot),
        quote(Kind.NUMBER, "exit code", exit),
        quote(Kind.MESSAGE, "refusal", message));
  }

  /**
   * Point nginx at the slot alone: write each file to a temp file and move it into place, {@code
   * nginx -t} (restoring the previous files if it fails), then reload. Prints the old worker pids
   * to wait for, or "unchanged" when nginx already pointed there.
   */
  String switchTo(Slot slot) {
    return write("server 127.0.0.1:" + unquote(ports.get(slot)) + ";");
  }

  /**
   * Share the requests between {@code canary} and the other slot (stable) by nginx weights: {@code
   * percent} and {@code 100 - percent}, so 1% is exactly one request in a hundred. Written and
   * reloaded like {@link #switchTo}. CanaryDeployer keeps {@code percent} within 1-99.
   */
  String weigh(Slot canary, int percent) {
    return write(
        "server 127.0.0.1:"
            + unquote(ports.get(canary.other()))
            + " weight="
            + (100 - percent)
            + ";\n"
            + "server 127.0.0.1:"
            + unquote(ports.get(canary))
            + " weight="
            + percent
            + ";");
  }

  private String write(String servers) {
    return script(
            "switch.sh", prefix, service, quote(Kind.CONFIG_TEXT, "upstream", servers), siteText)
        .command();
  }

  /**
   * Ask through nginx until {@code slot} answers (nginx names the upstream that answered), for at
   * most {@code seconds}.
   */
  String verify(Slot slot, int seconds) {
    return script(
            "verify.sh",
            scheme,
            address,
            nginxPort,
            healthPath,
            ports.get(slot),
            quote(Kind.NUMBER, "seconds", seconds))
        .command();
  }

  /** Wait until the nginx workers that served before the reload have exited. */
  static String drain(String pids, int seconds) {
    if (!pids.matches("[0-9 ]*")) {
      throw new IllegalArgumentException("not pids: " + pids);
    }
    List<String> arguments = new ArrayList<>(List.of(quote(Kind.NUMBER, "seconds", seconds)));
    for (String pid : pids.trim().split(" +")) {
      if (!pid.isEmpty()) {
        arguments.add(quote(Kind.NUMBER, "pid", pid));
      }
    }
    return HostScript.of(NginxCommands.class, "drain.sh", arguments).command();
  }

  private static HostScript script(String name, String... arguments) {
    return HostScript.of(NginxCommands.class, name, arguments);
  }

  private static String unquote(String quoted) {
    return quoted.substring(1, quoted.length() - 1);
  }
}
