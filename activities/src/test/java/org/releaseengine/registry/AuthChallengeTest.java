package org.releaseengine.registry;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AuthChallengeTest {

  @Test
  void parsesBearerAndBasicChallenges() {
    AuthChallenge bearer =
        AuthChallenge.parse(
            "Bearer realm=\"https://auth.example.com/token\",service=\"registry.example.com\","
                + "scope=\"repository:team/app:pull,push\"");
    assertTrue(bearer.bearer());
    assertEquals("https://auth.example.com/token", bearer.param("realm"));
    assertEquals("registry.example.com", bearer.param("service"));
    assertEquals("repository:team/app:pull,push", bearer.param("scope"));
    AuthChallenge basic = AuthChallenge.parse("Basic realm=\"Registry Realm\"");
    assertTrue(basic.basic());
    assertEquals("Registry Realm", basic.param("realm"));
  }

  @Test
  void readsDockerConfigLogins(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(
        config,
        "{\"auths\": {\"https://10.211.0.1:5000/v1/\": {\"auth\": \"cmVsZWFzZTpzM2NyM3Q=\"},"
            + " \"registry.example.com\": {\"username\": \"ci\", \"password\": \"pw\"}}}");
    RegistryAccess access =
        RegistryAccess.fromEnvironment(Map.of("RELEASE_REGISTRY_AUTH", config.toString()));
    assertEquals("release", access.loginFor("10.211.0.1:5000").orElseThrow().username());
    assertEquals("s3cr3t", access.loginFor("10.211.0.1:5000").orElseThrow().password());
    assertEquals("ci", access.loginFor("registry.example.com").orElseThrow().username());
    assertTrue(access.loginFor("elsewhere:5000").isEmpty());
    String forHost =
        new String(access.dockerConfigFor("10.211.0.1:5000").orElseThrow(), StandardCharsets.UTF_8);
    assertEquals("{\"auths\":{\"10.211.0.1:5000\":{\"auth\":\"cmVsZWFzZTpzM2NyM3Q=\"}}}", forHost);
    assertTrue(!access.loginFor("registry.example.com").orElseThrow().toString().contains("pw"));
  }

  @Test
  void aBrokenConfigIsRefusedNamingTheField(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("config.json");
    Files.writeString(config, "{\"auths\": {\"r:5000\": {\"auth\": \"bm9jb2xvbg==\"}}}");
    var e =
        assertThrows(
            IllegalArgumentException.class,
            () ->
                RegistryAccess.fromEnvironment(Map.of("RELEASE_REGISTRY_AUTH", config.toString())));
    assertTrue(
        e.getMessage().endsWith("auths.r:5000.auth: must encode user:password"), e.getMessage());
    Path ca = dir.resolve("ca.pem");
    Files.writeString(ca, "not a certificate");
    var bad =
        assertThrows(
            IllegalArgumentException.class,
            () -> RegistryAccess.fromEnvironment(Map.of("RELEASE_REGISTRY_CA", ca.toString())));
    assertTrue(bad.getMessage().startsWith("RELEASE_REGISTRY_CA " + ca), bad.getMessage());
  }
}
