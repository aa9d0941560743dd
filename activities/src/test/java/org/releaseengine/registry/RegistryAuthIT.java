package org.releaseengine.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.it.Infra;
import org.releaseengine.registry.RegistryClient.RegistryRefused;

/**
 * The infra's registry as every test and the demo reach it: HTTPS with a certificate of the CA
 * infra.sh made, and a login. The right CA and login get answers; a wrong CA, a wrong password or
 * no login are refused, by this client and by the Docker engine.
 */
class RegistryAuthIT {

  private static final String DOCKER = "/usr/bin/docker";
  private static final String REPOSITORY =
      Infra.registry() + "/auth-it-" + System.nanoTime() % 100000;
  private static String digest;

  /** An image pushed with the worker's login (as a Docker config.json). */
  @BeforeAll
  static void push() throws Exception {
    Path config = Infra.tempDir("docker-config-");
    Files.copy(Path.of(Infra.env("RELEASE_REGISTRY_AUTH")), config.resolve("config.json"));
    Infra.run(Infra.dir(), DOCKER, "tag", "release-engine/busybox:local", REPOSITORY + ":1");
    Infra.run(Infra.dir(), DOCKER, "--config", config.toString(), "push", REPOSITORY + ":1");
    digest =
        new RegistryClient(RegistryAccess.fromEnvironment(System.getenv()))
            .digestOf(REPOSITORY, "1")
            .orElseThrow();
  }

  private static Map<String, String> env(String auth, String ca) {
    return Map.of("RELEASE_REGISTRY_AUTH", auth, "RELEASE_REGISTRY_CA", ca);
  }

  @Test
  void theRegistryIsNotLoopbackAndAnswersTheRightLoginOverTls() throws Exception {
    assertFalse(Infra.registry().startsWith("127."), Infra.registry());
    RegistryClient client = new RegistryClient(RegistryAccess.fromEnvironment(System.getenv()));
    assertTrue(digest.startsWith("sha256:"), digest);
    assertTrue(client.exists(REPOSITORY, digest));
    assertTrue(client.digestOf(REPOSITORY, "no-such-tag").isEmpty());
  }

  @Test
  void aWrongPasswordIsRefused() throws Exception {
    Path wrong = Infra.tempDir("wrong-login-").resolve("auth.json");
    Files.writeString(
        wrong,
        "{\"auths\": {\""
            + Infra.registry()
            + "\": {\"username\": \"release\", \"password\": \"not-the-password\"}}}");
    RegistryClient client =
        new RegistryClient(
            RegistryAccess.fromEnvironment(
                env(wrong.toString(), Infra.env("RELEASE_REGISTRY_CA"))));
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> client.digestOf(REPOSITORY, "1"));
    assertEquals(
        "registry "
            + Infra.registry()
            + " refused the login of release for "
            + REPOSITORY
            + " (401)",
        refused.getMessage());
    assertFalse(refused.getMessage().contains("not-the-password"));
  }

  @Test
  void noLoginIsRefused() {
    RegistryClient client =
        new RegistryClient(
            RegistryAccess.fromEnvironment(
                Map.of("RELEASE_REGISTRY_CA", Infra.env("RELEASE_REGISTRY_CA"))));
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> client.digestOf(REPOSITORY, "1"));
    assertTrue(refused.getMessage().contains("asks for a login"), refused.getMessage());
  }

  @Test
  void aWrongCaIsRefused() throws Exception {
    Path dir = Infra.tempDir("other-ca-");
    Infra.run(
        dir,
        "openssl",
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "1",
        "-subj",
        "/CN=another CA",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt");
    RegistryClient client =
        new RegistryClient(
            RegistryAccess.fromEnvironment(
                env(Infra.env("RELEASE_REGISTRY_AUTH"), dir.resolve("ca.crt").toString())));
    RegistryRefused refused =
        assertThrows(RegistryRefused.class, () -> client.digestOf(REPOSITORY, "1"));
    assertTrue(refused.getMessage().contains("failed the TLS handshake"), refused.getMessage());
    // and without any configured CA: the JDK's authorities do not know infra.sh's either
    RegistryClient jdkOnly =
        new RegistryClient(
            RegistryAccess.fromEnvironment(
                Map.of("RELEASE_REGISTRY_AUTH", Infra.env("RELEASE_REGISTRY_AUTH"))));
    assertThrows(RegistryRefused.class, () -> jdkOnly.digestOf(REPOSITORY, "1"));
  }

  @Test
  void theDockerEngineTrustsTheCaButPullsOnlyWithALogin() {
    Path empty = Infra.tempDir("no-login-");
    IllegalStateException refused =
        assertThrows(
            IllegalStateException.class,
            () ->
                Infra.run(
                    Infra.dir(),
                    DOCKER,
                    "--config",
                    empty.toString(),
                    "pull",
                    REPOSITORY + "@" + digest));
    assertTrue(
        refused.getMessage().contains("no basic auth credentials")
            || refused.getMessage().contains("unauthorized"),
        refused.getMessage());
    Path login = Infra.tempDir("login-");
    try {
      Files.copy(Path.of(Infra.env("RELEASE_REGISTRY_AUTH")), login.resolve("config.json"));
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Infra.run(Infra.dir(), DOCKER, "--config", login.toString(), "pull", REPOSITORY + "@" + digest);
  }
}
