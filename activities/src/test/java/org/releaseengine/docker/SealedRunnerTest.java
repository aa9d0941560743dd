package org.releaseengine.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.net.URI;
import org.junit.jupiter.api.Test;

/** The URL an E2E container is given: the forwarder in place of the environment's address. */
class SealedRunnerTest {

  @Test
  void anAddressIsReplacedByTheForwarderAndANameIsKept() {
    assertEquals(
        "http://172.18.0.1:18080",
        SealedRunner.forwardedUrl(URI.create("http://127.0.0.1:18080"), "172.18.0.1", 18080));
    assertEquals(
        "http://172.18.0.1:40001/app",
        SealedRunner.forwardedUrl(URI.create("http://localhost:18080/app"), "172.18.0.1", 40001));
    assertEquals(
        "https://staging.example.com:443/",
        SealedRunner.forwardedUrl(URI.create("https://staging.example.com/"), "172.18.0.1", 443));
  }
}
