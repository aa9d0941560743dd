package org.releaseengine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/** The generated commands are valid shell, with every value quoted, and bad values never build. */
class SlotCommandsTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final HostSpec HOST =
      new HostSpec("staging-1", "127.0.0.1", 2222, "deploy", 18080);
  private static final HostConfig CONFIG =
      new HostConfig(
          "staging-1",
          Path.of("/keys/id"),
          Path.of("/keys/known_hosts"),
          "unix:///var/tmp/infra/docker.sock",
          "/var/tmp/infra/hosts/staging/nginx");

  private static SlotTarget target(String service, String image, String healthPath, Slot slot) {
    EnvironmentSpec spec =
        new EnvironmentSpec(
            "http://127.0.0.1:18080",
            List.of(HOST),
            new SlotPorts(18081, 18082),
            healthPath,
            Duration.ofMinutes(30));
    return new SlotTarget(service, "staging", spec, slot, new ImageRef(image, SHA, DIGEST));
  }

  private static SlotCommands commands(Slot slot) {
    return new SlotCommands(
        target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", slot), HOST, CONFIG, slot);
  }

  /** Every command SlotCommands builds, by name. */
  private static Map<String, String> all(SlotCommands c) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("pull", c.pull());
    all.put("start", c.start());
    all.put("healthCheck", c.healthCheck(40));
    all.put("isRunning", c.isRunning());
    all.put("traffic", c.traffic());
    all.put("switchTraffic", c.switchTraffic());
    all.put("weighTraffic 1", c.weighTraffic(1));
    all.put("weighTraffic 99", c.weighTraffic(99));
    all.put("verifyThroughNginx", c.verifyThroughNginx(20));
    all.put("awaitExit", SlotCommands.awaitExit("123 456 ", 5));
    all.put("awaitExit none", SlotCommands.awaitExit("", 5));
    all.put("stop", c.stop());
    all.put("stopUnlessLive", c.stopUnlessLive());
    return all;
  }

  @ParameterizedTest
  @EnumSource(Slot.class)
  void everyCommandParsesWithShDashN(Slot slot) throws Exception {
    for (Map.Entry<String, String> command : all(commands(slot)).entrySet()) {
      for (String shell : List.of("sh", "bash")) {
        Result parsed = run(shell, "-n", "-c", command.getValue());
        assertEquals(
            0,
            parsed.code(),
            shell + " -n refuses " + command.getKey() + ": " + parsed.out() + command.getValue());
      }
    }
  }

  @Test
  void valuesAppearSingleQuoted() {
    SlotCommands c = commands(Slot.GREEN);
    assertTrue(c.pull().contains("'127.0.0.1:5000/team/hello-app@" + DIGEST + "'"), c.pull());
    assertTrue(c.start().contains("c='hello-app-staging-green'"), c.start());
    assertTrue(c.start().contains("-e PORT='18082'"), c.start());
    assertTrue(c.start().contains("--label release.sha='" + SHA + "'"), c.start());
    assertTrue(
        c.pull().startsWith("DOCKER_HOST='unix:///var/tmp/infra/docker.sock' docker "), c.pull());
    assertTrue(
        c.switchTraffic().contains("up='/var/tmp/infra/hosts/staging/nginx'/upstreams/'hello-app'"),
        c.switchTraffic());
    assertEquals("18082", c.port());
    assertEquals("18081", c.otherPort());
  }

  @Test
  void weightsShareOneHundred() {
    String weighed = commands(Slot.GREEN).weighTraffic(10);
    assertTrue(
        weighed.contains("server 127.0.0.1:18081 weight=90;\nserver 127.0.0.1:18082 weight=10;"),
        weighed);
  }

  @Test
  void awaitExitTakesPidsOnly() {
    assertThrows(IllegalArgumentException.class, () -> SlotCommands.awaitExit("1; reboot", 5));
    assertThrows(IllegalArgumentException.class, () -> SlotCommands.awaitExit("$(id)", 5));
  }

  @Test
  void anUnsafeValueBuildsNoCommand() {
    Map<String, Function<Slot, SlotTarget>> bad =
        Map.of(
            "service",
            s -> target("hello;reboot", "127.0.0.1:5000/team/hello-app", "/healthz", s),
            "environment",
            s ->
                new SlotTarget(
                    "hello-app",
                    "staging$(id)",
                    target("hello-app", "127.0.0.1:5000/a", "/healthz", s).spec(),
                    s,
                    new ImageRef("127.0.0.1:5000/a", SHA, DIGEST)),
            "image",
            s -> target("hello-app", "127.0.0.1:5000/team/hello-app:latest`id`", "/healthz", s),
            "health path",
            s -> target("hello-app", "127.0.0.1:5000/a", "/healthz'; reboot; '", s),
            "sha",
            s ->
                new SlotTarget(
                    "hello-app",
                    "staging",
                    target("hello-app", "127.0.0.1:5000/a", "/healthz", s).spec(),
                    s,
                    new ImageRef("127.0.0.1:5000/a", SHA + "\nreboot", DIGEST)));
    for (Map.Entry<String, Function<Slot, SlotTarget>> value : bad.entrySet()) {
      assertThrows(
          UnsafeValue.class,
          () -> new SlotCommands(value.getValue().apply(Slot.BLUE), HOST, CONFIG, Slot.BLUE),
          value.getKey());
    }
    HostConfig badPrefix =
        new HostConfig("staging-1", null, null, CONFIG.dockerHost(), "/srv/nginx; reboot");
    assertThrows(UnsafeValue.class, () -> commands(Slot.BLUE, HOST, badPrefix));
    HostConfig badDocker =
        new HostConfig("staging-1", null, null, "unix:///x.sock $(id)", CONFIG.nginxPrefix());
    assertThrows(UnsafeValue.class, () -> commands(Slot.BLUE, HOST, badDocker));
    HostSpec badAddress = new HostSpec("staging-1", "127.0.0.1;reboot", 22, "deploy", 18080);
    assertThrows(UnsafeValue.class, () -> commands(Slot.BLUE, badAddress, CONFIG));
  }

  private static SlotCommands commands(Slot slot, HostSpec host, HostConfig config) {
    return new SlotCommands(
        target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", slot), host, config, slot);
  }

  private record Result(int code, String out) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), String.join(" ", command));
    return new Result(process.exitValue(), out);
  }
}
