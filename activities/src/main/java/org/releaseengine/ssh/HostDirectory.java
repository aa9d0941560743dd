package org.releaseengine.ssh;

import java.io.IOException;
import java.io.Reader;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;
import org.releaseengine.config.DuplicateKeys;

/**
 * The worker's per-host configuration, read from a properties file (RELEASE_HOSTS_FILE): {@code
 * <host>.privateKey}, {@code <host>.knownHosts}, {@code <host>.dockerHost}, {@code
 * <host>.nginxPrefix}, and optionally {@code <host>.tlsCertificate} with {@code <host>.tlsKey}
 * (absolute paths on the host: its nginx serves HTTPS with them).
 */
public final class HostDirectory {

  private final Map<String, HostConfig> hosts;

  public HostDirectory(Map<String, HostConfig> hosts) {
    this.hosts = Map.copyOf(hosts);
  }

  public static HostDirectory load(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
      String twice = DuplicateKeys.inProperties(Files.readAllLines(file));
      if (twice != null) {
        throw new IllegalArgumentException("the hosts file " + file + ": " + twice);
      }
      p.load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the hosts file " + file, e);
    }
    Map<String, HostConfig> hosts = new HashMap<>();
    for (String key : p.stringPropertyNames()) {
      String name = key.substring(0, key.lastIndexOf('.'));
      hosts.computeIfAbsent(
          name,
          n ->
              new HostConfig(
                  n,
                  Path.of(required(p, n, "privateKey")),
                  Path.of(required(p, n, "knownHosts")),
                  p.getProperty(n + ".dockerHost", "unix:///var/run/docker.sock"),
                  required(p, n, "nginxPrefix"),
                  tlsPath(p, n, "tlsCertificate", "tlsKey"),
                  tlsPath(p, n, "tlsKey", "tlsCertificate")));
    }
    return new HostDirectory(hosts);
  }

  public Optional<HostConfig> find(String name) {
    return Optional.ofNullable(hosts.get(name));
  }

  /** Every host the worker knows. */
  public Collection<HostConfig> all() {
    return hosts.values();
  }

  /** A TLS file's path on the host: absolute, plain characters, and never without its pair. */
  private static String tlsPath(Properties p, String host, String field, String pair) {
    String value = p.getProperty(host + "." + field);
    if (value == null) {
      if (p.getProperty(host + "." + pair) != null) {
        throw new IllegalArgumentException(
            "hosts file: "
                + host
                + "."
                + field
                + " is missing ("
                + host
                + "."
                + pair
                + " needs it)");
      }
      return null;
    }
    if (!TLS_PATH.matcher(value).matches()) {
      throw new IllegalArgumentException(
          "hosts file: "
              + host
              + "."
              + field
              + ": "
              + value
              + " is not an absolute path of letters, digits and . _ / -");
    }
    return value;
  }

  private static final Pattern TLS_PATH =
      Pattern.compile("(?!.*(^|/)\\.\\.(/|$))/[A-Za-z0-9._/-]{1,250}");

  private static String required(Properties p, String host, String field) {
    String value = p.getProperty(host + "." + field);
    if (value == null) {
      throw new IllegalArgumentException("hosts file: " + host + "." + field + " is missing");
    }
    return value;
  }
}
