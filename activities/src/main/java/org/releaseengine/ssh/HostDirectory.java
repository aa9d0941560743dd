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

/**
 * The worker's per-host configuration, read from a properties file (RELEASE_HOSTS_FILE): {@code
 * <host>.privateKey}, {@code <host>.knownHosts}, {@code <host>.dockerHost}, {@code
 * <host>.nginxPrefix}.
 */
public final class HostDirectory {

  private final Map<String, HostConfig> hosts;

  public HostDirectory(Map<String, HostConfig> hosts) {
    this.hosts = Map.copyOf(hosts);
  }

  public static HostDirectory load(Path file) {
    Properties p = new Properties();
    try (Reader in = Files.newBufferedReader(file)) {
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
                  required(p, n, "nginxPrefix")));
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

  private static String required(Properties p, String host, String field) {
    String value = p.getProperty(host + "." + field);
    if (value == null) {
      throw new IllegalArgumentException("hosts file: " + host + "." + field + " is missing");
    }
    return value;
  }
}
