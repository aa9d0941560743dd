package org.releaseengine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The URL an E2E container is given: the forwarder in place of the environment's address. */
class GateNetworkTest {

  @Test
  void anAddressIsReplacedByTheForwarderAndANameIsKept() {
    assertEquals(
        "http://172.18.0.1:18080",
        GateNetwork.forwardedUrl(URI.create("http://127.0.0.1:18080"), "172.18.0.1", 18080));
    assertEquals(
        "http://172.18.0.1:40001/app",
        GateNetwork.forwardedUrl(URI.create("http://localhost:18080/app"), "172.18.0.1", 40001));
    assertEquals(
        "https://staging.example.com:443/",
        GateNetwork.forwardedUrl(URI.create("https://staging.example.com/"), "172.18.0.1", 443));
  }

  @Test
  void anHttpsUrlOnLoopbackNamesTheForwarderWithTheHostAlias() {
    assertEquals(
        "https://host.docker.internal:40001/app",
        GateNetwork.forwardedUrl(URI.create("https://127.0.0.1:18080/app"), "172.18.0.1", 40001));
    assertEquals(
        "https://host.docker.internal:18080",
        GateNetwork.forwardedUrl(URI.create("https://localhost:18080"), "172.18.0.1", 18080));
    assertEquals(
        "https://172.18.0.1:8443",
        GateNetwork.forwardedUrl(URI.create("https://10.0.0.5:8443"), "172.18.0.1", 8443));
  }
}
