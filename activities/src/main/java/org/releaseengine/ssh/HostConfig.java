package org.releaseengine.ssh;

import java.nio.file.Path;

/**
 * What the worker knows about one host, by the name release.yaml gives it: the SSH key and
 * known_hosts to reach it, the Docker endpoint its commands use, its nginx prefix, and the paths on
 * the host of the certificate (chain) and key its nginx serves HTTPS with (both null: no TLS).
 * Never workflow input.
 */
public record HostConfig(
    String name,
    Path privateKey,
    Path knownHosts,
    String dockerHost,
    String nginxPrefix,
    String tlsCertificate,
    String tlsKey) {

  public HostConfig(
      String name, Path privateKey, Path knownHosts, String dockerHost, String nginxPrefix) {
    this(name, privateKey, knownHosts, dockerHost, nginxPrefix, null, null);
  }

  /** Whether the host's nginx can serve HTTPS: it has a certificate and a key. */
  public boolean tls() {
    return tlsCertificate != null && tlsKey != null;
  }
}
