package org.releaseengine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.Map;

/**
 * The network of one gate run, as its {@link SealedRunner.Reach} says: none, a bridge of its own,
 * or a sealed bridge whose gateway holds a forwarder to one URL. What it made is removed on {@link
 * #close}.
 */
final class GateNetwork implements AutoCloseable {

  private final DockerClient docker;
  private GateBridge bridge;
  private TcpForwarder forwarder;
  private String baseUrl;

  GateNetwork(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * Makes the network {@code reach} asks for, named {@code name} and labelled {@code labels}, and
   * sets {@code host} to use it.
   */
  void open(SealedRunner.Reach reach, String name, Map<String, String> labels, HostConfig host)
      throws SealedRunner.Refused, IOException {
    switch (reach.kind()) {
      case NONE -> host.withNetworkMode("none");
      case OUTBOUND -> {
        bridge = GateBridge.create(docker, name, false, labels);
        useBridge(host);
      }
      case URL -> openTo(URI.create(reach.url()), name, labels, host);
    }
  }

  /** A sealed bridge, and a forwarder on its gateway to {@code url}'s host and port. */
  private void openTo(URI url, String name, Map<String, String> labels, HostConfig host)
      throws SealedRunner.Refused, IOException {
    bridge = GateBridge.create(docker, name, true, labels);
    int port = url.getPort() > 0 ? url.getPort() : "https".equals(url.getScheme()) ? 443 : 80;
    forwarder =
        TcpForwarder.start(
            InetAddress.getByName(bridge.gateway()),
            port,
            new InetSocketAddress(url.getHost(), port));
    baseUrl = forwardedUrl(url, bridge.gateway(), forwarder.port());
    useBridge(host);
    String hostName = URI.create(baseUrl).getHost();
    if (!isAddress(hostName)) {
      // the URL keeps a host name (Host header, TLS name): here it names the forwarder
      host.withExtraHosts(hostName + ":" + bridge.gateway());
    }
  }

  private void useBridge(HostConfig host) {
    host.withNetworkMode(bridge.name()).withSysctls(Map.of("net.ipv6.conf.all.disable_ipv6", "1"));
  }

  /** The URL the command is given in BASE_URL, through the forwarder; null without one. */
  String baseUrl() {
    return baseUrl;
  }

  @Override
  public void close() {
    if (forwarder != null) {
      forwarder.close();
    }
    if (bridge != null) {
      bridge.close();
    }
  }

  /**
   * The URL with the forwarder in place of the environment's address. An https URL on the worker's
   * loopback names the forwarder {@link SealedRunner#HOST_ALIAS}, the name Docker's tools give the
   * host, so that a certificate can be made for it (the container could not verify one against the
   * gateway's address, which changes with every run).
   */
  static String forwardedUrl(URI url, String gateway, int port) {
    String host =
        "https".equals(url.getScheme()) && isLoopback(url.getHost())
            ? SealedRunner.HOST_ALIAS
            : isAddress(url.getHost()) ? gateway : url.getHost();
    String path = url.getRawPath() == null ? "" : url.getRawPath();
    return url.getScheme() + "://" + host + ":" + port + path;
  }

  private static boolean isLoopback(String host) {
    return host.startsWith("127.") || host.equals("localhost") || host.equals("[::1]");
  }

  /** An address, or a name the container would read as its own loopback. */
  private static boolean isAddress(String host) {
    return host.matches("[0-9.]+") || host.startsWith("[") || host.equals("localhost");
  }
}
