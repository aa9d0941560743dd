package org.releaseengine.bluegreen;

import static org.releaseengine.ssh.ShellValues.quote;

import java.time.Duration;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.model.VolumeSpec;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.ShellValues.Kind;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * The shell commands of a blue-green deploy on one host, for one service, environment and slot.
 * Every value is validated and quoted in the constructor (ShellValues), so an unsafe value fails
 * before a single command exists. Each command is idempotent: re-running it converges.
 */
final class SlotCommands {

  private final String dockerHost;
  private final String docker;
  private final String container;
  private final String image;
  private final String sha;
  private final String port;
  private final String otherPort;
  private final String healthPath;
  private final String prefix;
  private final String site;
  private final String upstream;
  private final String siteText;
  private final String nginxUrl;
  private final String slotLabel;
  private final String labels;
  private final String runOptions;
  private final String hostPaths;
  private final String command;
  private final long stopSeconds;
  private final int healthStatus;
  private final boolean tls;

  /** The label that carries a container's configuration fingerprint. */
  static final String CONFIG_LABEL = "release.config";

  /** The exit code of {@link #start()} when the slot is one nginx sends traffic to. */
  static final int SERVING_EXIT = 3;

  /** The exit code of {@link #hostPaths()} (and so of {@link #start()}) refusing a host path. */
  static final int HOST_PATH_EXIT = 4;

  SlotCommands(SlotTarget target, HostSpec host, HostConfig config, Slot slot) {
    String service = quote(Kind.NAME, "service", target.service());
    quote(
        Kind.NAME, "environment", target.environment()); // checked on its own: it is part of names
    dockerHost = "DOCKER_HOST=" + quote(Kind.DOCKER_HOST, "docker endpoint", config.dockerHost());
    docker = dockerHost + " docker";
    container =
        quote(
            Kind.NAME,
            "container name",
            target.service() + "-" + target.environment() + "-" + slot.label());
    image = quote(Kind.IMAGE, "image", target.image().pinned());
    sha = quote(Kind.SHA, "sha", target.image().sha());
    port = quote(Kind.PORT, "slot port", target.spec().slots().portOf(slot));
    otherPort = quote(Kind.PORT, "slot port", target.spec().slots().portOf(slot.other()));
    healthPath = quote(Kind.URL_PATH, "health path", target.spec().healthPath());
    prefix = quote(Kind.PATH, "nginx prefix", config.nginxPrefix());
    String address = quote(Kind.ADDRESS, "host address", host.address());
    String nginxPort = quote(Kind.PORT, "nginx port", host.nginxPort());
    site = prefix + "/sites/" + service + ".conf";
    upstream = prefix + "/upstreams/" + service + ".conf";
    tls = https(target.spec().url());
    if (tls && !config.tls()) {
      throw new UnsafeValue(
          "the url is https but host '"
              + config.name()
              + "' has no tlsCertificate and tlsKey (RELEASE_HOSTS_FILE)");
    }
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
    nginxUrl = (tls ? "https://" : "http://") + unquote(address) + ":" + unquote(nginxPort);
    slotLabel = slot.label();
    labels =
        " --label release.service="
            + service
            + " --label release.environment="
            + quote(Kind.NAME, "environment", target.environment())
            + " --label release.slot="
            + slot.label()
            + " --label release.sha="
            + sha;
    stopSeconds = Math.max(1, target.spec().stopBudget().toSeconds());
    healthStatus = target.spec().expectedHealthStatus();
    runOptions = runOptions(target.spec().container());
    hostPaths = hostPaths(target.spec().container());
    command = command(target.spec().container());
  }

  /** Limits and volumes, each value checked and quoted. */
  private static String runOptions(ContainerSpec container) {
    if (container == null) {
      return "";
    }
    StringBuilder options = new StringBuilder();
    if (container.memory() != null) {
      options.append(" --memory ").append(quote(Kind.MEMORY, "memory", container.memory()));
    }
    if (container.cpus() != null) {
      options.append(" --cpus ").append(quote(Kind.CPUS, "cpus", container.cpus()));
    }
    if (container.volumes() != null) {
      for (VolumeSpec volume : container.volumes()) {
        options.append(" -v ").append(quote(Kind.VOLUME, "volume", volume.mount()));
      }
    }
    return options.toString();
  }

  /**
   * The look on the host at each host-path volume: admission checked its text against the host's
   * volumePrefix, but docker follows symbolic links when it mounts, and a container that had {@code
   * <prefix>/x} could have left a link to / at {@code <prefix>/x/root} for a later mount. So no
   * component of the path may be a link (not even one that stays inside the prefix, or the prefix's
   * own): a path without one is where its text says. A component the deploy user cannot look into
   * is refused too, since a link behind it would go unseen; the walk ends at the first component
   * that does not exist (docker creates it and the rest below a directory just looked at). Empty
   * when the container mounts no host path.
   */
  private static String hostPaths(ContainerSpec container) {
    if (container == null || container.volumes() == null) {
      return "";
    }
    StringBuilder calls = new StringBuilder();
    for (VolumeSpec volume : container.volumes()) {
      if (volume.hostPath()) {
        calls.append(" hp ").append(quote(Kind.PATH, "host path", volume.source()));
        StringBuilder path = new StringBuilder();
        for (String part : volume.source().split("/")) {
          if (!part.isEmpty() && !part.equals(".")) {
            path.append('/').append(part);
            calls.append(' ').append(quote(Kind.PATH, "host path", path.toString()));
          }
        }
        calls.append(';');
      }
    }
    if (calls.length() == 0) {
      return "";
    }
    return "hp() { v=$1; shift; d=/; for p in \"$@\"; do "
        + "if [ -L \"$p\" ]; then echo \"host path $v: $p is a symbolic link, which could lead out"
        + " of the volumePrefix; refusing to mount it\" >&2; exit "
        + HOST_PATH_EXIT
        + "; fi; "
        + "if [ ! -e \"$p\" ]; then if [ -d \"$d\" ] && [ -x \"$d\" ]; then return 0; fi; "
        + "echo \"host path $v: $d is not a directory the deploy user can look into, and a symbolic"
        + " link there would go unseen; refusing to mount it\" >&2; exit "
        + HOST_PATH_EXIT
        + "; fi; d=$p; done; };"
        + calls
        + " ";
  }

  /**
   * The host-path volumes looked at on the host ({@link #hostPaths(ContainerSpec)}), or empty when
   * there are none. {@link #start} runs it too, in the same command as docker run (a pull may come
   * between a first look and the start), so that the time a running container has to swap a
   * directory for a link is as short as it can be.
   */
  String hostPaths() {
    return hostPaths;
  }

  /** The container's command after the image, each word quoted; empty for the image's own. */
  private static String command(ContainerSpec container) {
    if (container == null || container.command() == null) {
      return "";
    }
    StringBuilder words = new StringBuilder();
    for (String word : container.command()) {
      words.append(' ').append(quote(Kind.ARGUMENT, "command word", word));
    }
    return words.toString();
  }

  /**
   * A shell test: whether nginx sends this slot traffic (alone or weighted), by the upstream file
   * and by the copy of what nginx last loaded, which differ after an attempt died mid-switch.
   */
  private String servesTraffic() {
    return "cat "
        + upstream
        + " "
        + upstream
        + ".loaded 2>/dev/null | grep -q '^server 127.0.0.1:"
        + unquote(port)
        + "[ ;]'";
  }

  /** Whether an environment's public URL is served over HTTPS (its hosts need TLS files). */
  static boolean https(String url) {
    return url != null && url.regionMatches(true, 0, "https://", 0, 8);
  }

  /** Pull by digest, never by tag. */
  String pull() {
    return docker + " pull -q " + image + " >/dev/null";
  }

  /**
   * Pull by digest with a registry login that arrives on standard input as a Docker config.json: it
   * lives in a directory only the deploy user can read, for the pull alone.
   */
  String pullWithLogin() {
    return "set -e; d=$(mktemp -d); trap 'rm -rf \"$d\"' EXIT; cat > \"$d/config.json\"; "
        + dockerHost
        + " docker --config \"$d\""
        + " pull -q "
        + image
        + " >/dev/null";
  }

  /**
   * Start the slot with the image unless it already runs exactly that image with that configuration
   * ({@code fingerprint}, on the container's label). With {@code envFile}, the container's
   * variables (plain values and secrets) arrive on standard input and are written to a file only
   * the deploy user can read, given to docker run and removed when it has read it. The host-path
   * volumes are looked at first ({@link #hostPaths()}): a refusal changes no container.
   */
  String start(String fingerprint, boolean envFile) {
    String print = quote(Kind.FINGERPRINT, "configuration fingerprint", fingerprint);
    return "set -e; "
        + hostPaths
        + "c="
        + container
        + "; img="
        + image
        + "; cfg="
        + print
        + "; "
        + "if [ \"$("
        + docker
        + " inspect -f '{{.Config.Image}} {{.State.Running}} {{index .Config.Labels \""
        + CONFIG_LABEL
        + "\"}}' \"$c\" 2>/dev/null)\" = \"$img true $cfg\" ]; "
        + "then echo already-running; exit 0; fi; "
        + "if "
        + servesTraffic()
        + "; then echo \"the "
        + slotLabel
        + " slot serves traffic: refusing to replace it\" >&2; exit "
        + SERVING_EXIT
        + "; fi; "
        + stopAndRemove("\"$c\"")
        + "; "
        + (envFile ? "envf=$(mktemp); trap 'rm -f \"$envf\"' EXIT; cat > \"$envf\"; " : "")
        + docker
        + " run -d --name \"$c\" --init --network host --restart unless-stopped --stop-timeout "
        + stopSeconds
        + " -e PORT="
        + port
        + (envFile ? " --env-file \"$envf\"" : "")
        + labels
        + " --label "
        + CONFIG_LABEL
        + "=\"$cfg\""
        + runOptions
        + " \"$img\""
        + command
        + " >/dev/null";
  }

  /**
   * Health-check the slot directly (not through nginx) until it answers the expected status, for at
   * most {@code budget} (its start-up time included).
   */
  String healthCheck(Duration budget) {
    long seconds = Math.max(1, budget.toSeconds());
    return "end=$(( $(date +%s) + "
        + seconds
        + " )); while :; do "
        + "code=$(curl -s -m 2 -o /dev/null -w '%{http_code}' http://127.0.0.1:"
        + unquote(port)
        + unquote(healthPath)
        + "); "
        + "[ \"$code\" = "
        + healthStatus
        + " ] && exit 0; [ $(date +%s) -ge $end ] && break; sleep 0.25; done; "
        + "echo \""
        + unquote(healthPath)
        + " answered ${code:-nothing}, not "
        + healthStatus
        + ", for "
        + seconds
        + " s (healthTimeout)\" >&2; exit 1";
  }

  /** Whether the slot's container runs (for a rollback to a warm slot). */
  String isRunning() {
    return "[ \"$("
        + docker
        + " inspect -f '{{.State.Running}}' "
        + container
        + " 2>/dev/null)\" = true ]";
  }

  /**
   * The upstream's server lines as nginx runs them: the copy of what it last loaded, else the file
   * (empty before the first deploy). HostTraffic reads them.
   */
  String traffic() {
    return "cat " + upstream + ".loaded 2>/dev/null || cat " + upstream + " 2>/dev/null || true";
  }

  /**
   * Point nginx at the slot alone: write each file to a temp file and move it into place, {@code
   * nginx -t} (restoring the previous files if it fails), then reload. Prints the old worker pids
   * to wait for, or "unchanged" when nginx already pointed there.
   */
  String switchTraffic() {
    return writeUpstream("server 127.0.0.1:" + unquote(port) + ";");
  }

  /**
   * Share the requests between this slot (the canary) and the other one (stable) by nginx weights:
   * {@code percent} and {@code 100 - percent}, so 1% is exactly one request in a hundred. Written
   * and reloaded like {@link #switchTraffic()}. CanaryDeployer keeps {@code percent} within 1-99.
   */
  String weighTraffic(int percent) {
    return writeUpstream(
        "server 127.0.0.1:"
            + unquote(otherPort)
            + " weight="
            + (100 - percent)
            + ";\n"
            + "server 127.0.0.1:"
            + unquote(port)
            + " weight="
            + percent
            + ";");
  }

  private String writeUpstream(String servers) {
    String nginx = "nginx -p " + prefix + " -c " + prefix + "/nginx.conf";
    // nginx lives in sbin, which an unprivileged deploy user's PATH often lacks
    return "set -e; PATH=\"$PATH:/usr/sbin:/sbin\"; site="
        + site
        + "; up="
        + upstream
        + "; changed=0; "
        + "put() { if [ \"$(cat \"$1\" 2>/dev/null)\" != \"$2\" ]; then "
        + "if [ -f \"$1\" ]; then cp -f \"$1\" \"$1.bak\"; else rm -f \"$1.bak\"; fi; "
        + "printf '%s\\n' \"$2\" > \"$1.tmp\"; mv -f \"$1.tmp\" \"$1\"; changed=1; fi; }; "
        + "restore() { for f in \"$site\" \"$up\"; do if [ -f \"$f.bak\" ]; then mv -f \"$f.bak\" \"$f\"; else rm -f \"$f\"; fi; done; }; "
        + "rm -f \"$site.bak\" \"$up.bak\"; "
        + "put \"$up\" \"$(printf '"
        + servers
        + "')\"; "
        + "put \"$site\" "
        + siteText
        + "; "
        // nginx may run other files than these (an attempt died before its reload): reload then too
        + "for f in \"$site\" \"$up\"; do cmp -s \"$f\" \"$f.loaded\" || changed=1; done; "
        + "if [ $changed = 0 ]; then echo unchanged; exit 0; fi; "
        + "if ! out=$("
        + nginx
        + " -t 2>&1); then restore; echo \"nginx -t failed: $out\" >&2; exit 1; fi; "
        + "old=$(pgrep -P \"$(cat "
        + prefix
        + "/nginx.pid)\" | tr '\\n' ' '); "
        + nginx
        + " -s reload; for f in \"$site\" \"$up\"; do cp -f \"$f\" \"$f.loaded\"; done; "
        + "echo \"old-workers: $old\"";
  }

  /**
   * Ask through nginx until the slot answers (nginx names the upstream that answered), for at most
   * {@code seconds}.
   */
  String verifyThroughNginx(int seconds) {
    return "end=$(( $(date +%s) + "
        + seconds
        + " )); while [ $(date +%s) -lt $end ]; do "
        // over TLS -k: this asks which slot answers on the host's own nginx; the worker's checks
        // through the public URL verify the certificate
        + "a=$(curl -s "
        + (tls ? "-k " : "")
        + "-m 1 -o /dev/null -D - "
        + nginxUrl
        + unquote(healthPath)
        // HTTP/2 (https) sends header names in lower case
        + " | tr -d '\\r' | sed -n 's/^[Xx]-[Uu]pstream: //p'); "
        + "[ \"$a\" = 127.0.0.1:"
        + unquote(port)
        + " ] && exit 0; sleep 0.05; done; "
        + "echo \"nginx still answers from ${a:-nowhere}\" >&2; exit 1";
  }

  /** Wait until the nginx workers that served before the reload have exited. */
  static String awaitExit(String pids, int seconds) {
    if (!pids.matches("[0-9 ]*")) {
      throw new IllegalArgumentException("not pids: " + pids);
    }
    return "for i in $(seq "
        + (seconds * 20)
        + "); do alive=0; for p in "
        + pids
        + "; do "
        + "kill -0 $p 2>/dev/null && alive=1; done; [ $alive = 0 ] && exit 0; sleep 0.05; done; "
        + "echo 'old nginx workers still running' >&2; exit 1";
  }

  /** Stop the slot's container (SIGTERM, then SIGKILL after stopTimeout) and remove it. */
  String stop() {
    return stopAndRemove(container);
  }

  private String stopAndRemove(String name) {
    return docker
        + " stop -t "
        + stopSeconds
        + " "
        + name
        + " >/dev/null 2>&1 || true; "
        + docker
        + " rm -f "
        + name
        + " >/dev/null 2>&1 || true";
  }

  /**
   * Stop the slot only if nginx sends it no traffic (alone or weighted): a live slot is never
   * retired.
   */
  String stopUnlessLive() {
    return "if "
        + servesTraffic()
        + "; then echo 'refusing to stop the live slot' >&2; exit 1; fi; "
        + stop();
  }

  String otherPort() {
    return unquote(otherPort);
  }

  String port() {
    return unquote(port);
  }

  private static String unquote(String quoted) {
    return quoted.substring(1, quoted.length() - 1);
  }
}
