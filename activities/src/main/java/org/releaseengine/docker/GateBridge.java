package org.releaseengine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.Network;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A bridge network of one gate run, made in the worker's Docker engine and removed after it. Its
 * bridge carries the network's name, so the worker can set the kernel's per-interface switches on
 * it: for an E2E network, forwarding is turned off for packets arriving on it (the engine here runs
 * without iptables, so "internal" alone stops nothing: the host would route a container's packets
 * to any other network), leaving the container the gateway address, where the forwarder listens.
 */
final class GateBridge implements AutoCloseable {

  private static final Path SYSCTL = Path.of("/proc/sys/net");

  private final DockerClient docker;
  private final String name;
  private final String gateway;

  GateBridge(DockerClient docker, String name, String gateway) {
    this.docker = docker;
    this.name = name;
    this.gateway = gateway;
  }

  /**
   * Creates {@code name} (at most 15 characters: it is also the bridge's interface name). A {@code
   * sealed} network is internal and forwards nothing; the other kind is routed as the host routes.
   */
  static GateBridge create(
      DockerClient docker, String name, boolean sealed, Map<String, String> labels)
      throws SealedRunner.Refused {
    docker
        .createNetworkCmd()
        .withName(name)
        .withDriver("bridge")
        .withInternal(sealed)
        .withCheckDuplicate(true)
        .withLabels(labels)
        .withOptions(Map.of("com.docker.network.bridge.name", name))
        .exec();
    GateBridge bridge = null;
    try {
      Network network = docker.inspectNetworkCmd().withNetworkId(name).exec();
      String gateway =
          network.getIpam() == null || network.getIpam().getConfig().isEmpty()
              ? null
              : network.getIpam().getConfig().get(0).getGateway();
      bridge = new GateBridge(docker, name, gateway);
      if (gateway == null) {
        throw new SealedRunner.Refused("network " + name + " has no gateway address");
      }
      if (sealed) {
        bridge.write("ipv4/conf/" + name + "/forwarding", "0");
        if (Files.isDirectory(SYSCTL.resolve("ipv6/conf/" + name))) {
          bridge.write("ipv6/conf/" + name + "/disable_ipv6", "1");
        }
      }
      return bridge;
    } catch (RuntimeException | SealedRunner.Refused e) {
      if (bridge != null) {
        bridge.close();
      } else {
        new GateBridge(docker, name, null).close();
      }
      throw e;
    }
  }

  String name() {
    return name;
  }

  /** The worker's address on this network. */
  String gateway() {
    return gateway;
  }

  private void write(String key, String value) throws SealedRunner.Refused {
    Path file = SYSCTL.resolve(key);
    try {
      Files.writeString(file, value);
      if (!Files.readString(file).strip().equals(value)) {
        throw new IOException("it reads back as " + Files.readString(file).strip());
      }
    } catch (IOException e) {
      throw new SealedRunner.Refused(
          "cannot seal network "
              + name
              + ": cannot set "
              + file
              + " (the worker must run beside its Docker engine, as root): "
              + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      docker.removeNetworkCmd(name).exec();
    } catch (DockerException e) {
      // already gone, or the engine is: the expiry label lets a later run remove it
    }
  }
}
