package org.releaseengine.spec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.VolumeSpec;

/** The app contract's settings and the container configuration in release.yaml. */
class ContainerFieldsTest {

  private static final String MINIMAL =
      """
      service: shop
      source: {git: .}
      image: {repository: 10.211.0.1:5000/team/shop}
      environments:
        staging:
          url: http://127.0.0.1:18080
          slots: {blue: 18081, green: 18082}
        production:
          url: http://127.0.0.1:19080
          slots: {blue: 19081, green: 19082}
      """;

  @TempDir Path dir;

  private static String production(String fields) {
    String url = "    url: http://127.0.0.1:19080\n";
    return MINIMAL.replace(url, url + fields.indent(4));
  }

  @Test
  void defaultsKeepTodaysContract() throws Exception {
    EnvironmentSpec env = load(MINIMAL).environment("production");
    assertEquals(200, env.expectedHealthStatus());
    assertEquals(Duration.ofSeconds(60), env.healthBudget());
    assertEquals("/version", env.versionCheckPath());
    assertEquals(Duration.ofSeconds(10), env.stopBudget());
    assertNull(env.container());
    assertEquals(List.of(), SpecWarnings.of(load(MINIMAL)));
  }

  @Test
  void theContainerIsConfiguredPerEnvironment() throws Exception {
    ReleaseSpec spec =
        load(
            production(
                """
                healthStatus: 204
                healthTimeout: 2m
                versionPath: none
                stopTimeout: 30s
                env: {GREETING: hello there, WORKERS: 4, DEBUG: false}
                secrets: [DATABASE_URL, API_KEY]
                volumes: ["shop-data:/data", "/srv/volumes/shop:/config:ro"]
                memory: 256m
                cpus: 0.5
                command: [/opt/jre/bin/java, -cp, /app, shop.Main]
                """));
    EnvironmentSpec env = spec.environment("production");
    assertEquals(204, env.expectedHealthStatus());
    assertEquals(Duration.ofMinutes(2), env.healthBudget());
    assertNull(env.versionCheckPath());
    assertEquals(Duration.ofSeconds(30), env.stopBudget());
    assertEquals(
        new ContainerSpec(
            Map.of("GREETING", "hello there", "WORKERS", "4", "DEBUG", "false"),
            List.of("DATABASE_URL", "API_KEY"),
            List.of(
                new VolumeSpec("shop-data", "/data", false),
                new VolumeSpec("/srv/volumes/shop", "/config", true)),
            "256m",
            "0.5",
            List.of("/opt/jre/bin/java", "-cp", "/app", "shop.Main")),
        env.container());
    assertNull(spec.environment("staging").container());
    assertEquals(
        List.of(
            "environments.production.versionPath: none: verification will not check which"
                + " version production serves",
            "environments.production.healthStatus: 204: a slot is healthy when /healthz answers"
                + " it, not 200"),
        SpecWarnings.of(spec));
  }

  @Test
  void everyBadValueIsOneLineNamingItsField() {
    String p = "environments.production.";
    assertEquals(
        List.of(p + "env.PORT: PORT is set by the engine (the slot's port)"),
        problems(production("env: {PORT: 8080}")));
    assertEquals(
        List.of(
            p + "env.1BAD: a variable name is letters, digits and '_', not starting with a digit"),
        problems(production("env: {1BAD: x}")));
    assertEquals(
        List.of(p + "env.MULTI: must be one line without control characters, at most 4096 long"),
        problems(production("env: {MULTI: \"a\\nb\"}")));
    assertEquals(
        List.of(p + "env.NESTED: must be a string, a number or true/false"),
        problems(production("env: {NESTED: {a: b}}")));
    assertEquals(
        List.of(p + "secrets[1]: API_KEY is also in env: a variable is one or the other"),
        problems(production("env: {API_KEY: x}\nsecrets: [DB, API_KEY]")));
    assertEquals(
        List.of(p + "secrets[0]: must be a variable name, got 'api-key'"),
        problems(production("secrets: [api-key]")));
    assertEquals(
        List.of(
            p
                + "volumes[0]: the source must be a volume name (lowercase letters, digits, . _ -)"
                + " or an absolute host path without '..', got '/srv/../etc'"),
        problems(production("volumes: [\"/srv/../etc:/etc\"]")));
    assertEquals(
        List.of(p + "volumes[0]: must be SOURCE:TARGET or SOURCE:TARGET:ro"),
        problems(production("volumes: [\"data:/data:rx\"]")));
    assertEquals(
        List.of(p + "volumes[1]: /data is mounted twice"),
        problems(production("volumes: [\"a:/data\", \"b:/data\"]")));
    assertEquals(
        List.of(p + "memory: must be at least 6m (Docker's minimum)"),
        problems(production("memory: 1m")));
    assertEquals(
        List.of(p + "memory: must be a size such as 256m or 1g, got '256'"),
        problems(production("memory: 256")));
    assertEquals(List.of(p + "cpus: must be more than 0"), problems(production("cpus: 0")));
    assertEquals(
        List.of(p + "command[0]: must be printable ASCII without single quotes, got 'it's'"),
        problems(production("command: [\"it's\"]")));
    assertEquals(
        List.of(p + "healthTimeout: must be at most 10m"),
        problems(production("healthTimeout: 11m")));
    assertEquals(
        List.of(p + "healthStatus: must be 200-399"), problems(production("healthStatus: 500")));
    assertEquals(
        List.of(p + "versionPath: must be a URL path such as /version, or none, got 'version'"),
        problems(production("versionPath: version")));
    assertEquals(
        List.of(p + "stopTimeout: must be at most 2m"), problems(production("stopTimeout: 5m")));
  }

  private ReleaseSpec load(String yaml) throws Exception {
    Path file = Files.createTempFile(dir, "release-", ".yaml");
    Files.writeString(file, yaml);
    return new ReleaseSpecLoader().load(file);
  }

  private List<String> problems(String yaml) {
    return assertThrows(SpecException.class, () -> load(yaml)).problems();
  }
}
