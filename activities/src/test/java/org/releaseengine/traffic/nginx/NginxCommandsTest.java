package org.releaseengine.traffic.nginx;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.ssh.Shells.CONFIG;
import static org.releaseengine.ssh.Shells.HOST;
import static org.releaseengine.ssh.Shells.run;
import static org.releaseengine.ssh.Shells.runWith;
import static org.releaseengine.ssh.Shells.target;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.ssh.Shells;
import org.releaseengine.ssh.Shells.Result;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * The nginx commands are valid shell, with every value quoted, do on the host what they say (run by
 * sh against stand-in programs), and bad values never build.
 */
class NginxCommandsTest {

  private static NginxCommands commands(Slot slot) {
    return commands(slot, HOST, CONFIG);
  }

  private static NginxCommands commands(Slot slot, HostSpec host, HostConfig config) {
    return new NginxCommands(
        target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", slot), host, config);
  }

  /** Every command NginxCommands builds, by name. */
  private static Map<String, String> all(NginxCommands c, Slot slot) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("serving", c.serving());
    all.put("unlessServing", c.unlessServing(slot, 3, "the slot serves traffic").command());
    all.put("switchTo", c.switchTo(slot));
    all.put("weigh 1", c.weigh(slot, 1));
    all.put("weigh 99", c.weigh(slot, 99));
    all.put("verify", c.verify(slot, 20));
    all.put("drain", NginxCommands.drain("123 456 ", 5));
    all.put("drain none", NginxCommands.drain("", 5));
    return all;
  }

  @ParameterizedTest
  @EnumSource(Slot.class)
  void everyCommandParsesWithShDashN(Slot slot) throws Exception {
    for (Map.Entry<String, String> command : all(commands(slot), slot).entrySet()) {
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
    NginxCommands c = commands(Slot.GREEN);
    assertTrue(
        c.serving().contains(" '/var/tmp/infra/hosts/staging/nginx'/upstreams/'hello-app'.conf"),
        c.serving());
    assertTrue(
        c.switchTo(Slot.GREEN)
            .contains(
                " '/var/tmp/infra/hosts/staging/nginx' 'hello-app' 'server 127.0.0.1:18082;'"),
        c.switchTo(Slot.GREEN));
    assertTrue(c.switchTo(Slot.BLUE).contains(" 'server 127.0.0.1:18081;' "));
  }

  @Test
  void weightsShareOneHundred() {
    String weighed = commands(Slot.GREEN).weigh(Slot.GREEN, 10);
    assertTrue(
        weighed.contains("server 127.0.0.1:18081 weight=90;\nserver 127.0.0.1:18082 weight=10;"),
        weighed);
  }

  @Test
  void drainTakesPidsOnly() {
    assertThrows(IllegalArgumentException.class, () -> NginxCommands.drain("1; reboot", 5));
    assertThrows(IllegalArgumentException.class, () -> NginxCommands.drain("$(id)", 5));
  }

  @Test
  void anUnsafeValueBuildsNoCommand() {
    Map<String, Function<Slot, SlotTarget>> bad =
        Map.of(
            "service",
            s -> target("hello;reboot", "127.0.0.1:5000/team/hello-app", "/healthz", s),
            "health path",
            s -> target("hello-app", "127.0.0.1:5000/a", "/healthz'; reboot; '", s));
    for (Map.Entry<String, Function<Slot, SlotTarget>> value : bad.entrySet()) {
      assertThrows(
          UnsafeValue.class,
          () -> new NginxCommands(value.getValue().apply(Slot.BLUE), HOST, CONFIG),
          value.getKey());
    }
    HostConfig badPrefix =
        new HostConfig("staging-1", null, null, CONFIG.dockerHost(), "/srv/nginx; reboot");
    assertThrows(UnsafeValue.class, () -> commands(Slot.BLUE, HOST, badPrefix));
    HostSpec badAddress = new HostSpec("staging-1", "127.0.0.1;reboot", 22, "deploy", 18080);
    assertThrows(UnsafeValue.class, () -> commands(Slot.BLUE, badAddress, CONFIG));
    assertThrows(
        UnsafeValue.class,
        () -> commands(Slot.BLUE).unlessServing(Slot.BLUE, 1, "it's live; reboot"));
  }

  /**
   * A switch writes the upstream and site, tests and reloads nginx and names the workers that ran
   * before; the same switch again changes nothing. The guard then refuses the slot it serves.
   */
  @Test
  void aSwitchWritesTestsReloadsAndConverges(@TempDir Path tmp) throws Exception {
    Path prefix = tmp.toRealPath();
    Files.createDirectories(prefix.resolve("sites"));
    Files.createDirectories(prefix.resolve("upstreams"));
    Files.writeString(prefix.resolve("nginx.pid"), "1\n");
    Path bin =
        Shells.standIns(prefix, Map.of("nginx", "record \"$@\"", "pgrep", "echo 11; echo 12"));
    HostConfig config =
        new HostConfig("staging-1", null, null, CONFIG.dockerHost(), prefix.toString());
    NginxCommands c = commands(Slot.GREEN, HOST, config);
    Result switched = runWith(bin, c.switchTo(Slot.GREEN), null);
    assertEquals("old-workers: 11 12 \n", switched.out());
    Path upstream = prefix.resolve("upstreams/hello-app.conf");
    assertEquals("server 127.0.0.1:18082;\n", Files.readString(upstream));
    assertEquals(Files.readString(upstream), Files.readString(Path.of(upstream + ".loaded")));
    assertTrue(
        Files.readString(prefix.resolve("sites/hello-app.conf"))
            .contains("listen 127.0.0.1:18080;"));
    List<String> calls = Shells.calls(prefix);
    assertTrue(
        calls.get(0).startsWith("-p " + prefix + " -c " + prefix + "/nginx.conf -t"), calls.get(0));
    assertTrue(calls.get(1).startsWith("-p " + prefix + " -c " + prefix + "/nginx.conf -s reload"));
    assertEquals("unchanged\n", runWith(bin, c.switchTo(Slot.GREEN), null).out());
    assertEquals(2, Shells.calls(prefix).size());
    assertEquals("server 127.0.0.1:18082;\n", runWith(bin, c.serving(), null).out());
    Result refused =
        runWith(
            bin, c.unlessServing(Slot.GREEN, 3, "the green slot serves traffic").command(), null);
    assertEquals(3, refused.code());
    assertEquals("the green slot serves traffic\n", refused.out());
    assertEquals(
        0, runWith(bin, c.unlessServing(Slot.BLUE, 3, "the blue slot").command(), null).code());
  }

  /** nginx -t refusing puts the previous files back and reloads nothing. */
  @Test
  void aRefusedConfigurationIsRestored(@TempDir Path tmp) throws Exception {
    Path prefix = tmp.toRealPath();
    Files.createDirectories(prefix.resolve("sites"));
    Path upstream = Files.createDirectories(prefix.resolve("upstreams")).resolve("hello-app.conf");
    Files.writeString(upstream, "server 127.0.0.1:18081;\n");
    Path bin =
        Shells.standIns(prefix, Map.of("nginx", "record \"$@\"; echo 'emerg: broken'; exit 1"));
    HostConfig config =
        new HostConfig("staging-1", null, null, CONFIG.dockerHost(), prefix.toString());
    Result refused = runWith(bin, commands(Slot.GREEN, HOST, config).switchTo(Slot.GREEN), null);
    assertEquals(1, refused.code());
    assertEquals("nginx -t failed: emerg: broken\n", refused.out());
    assertEquals("server 127.0.0.1:18081;\n", Files.readString(upstream));
    assertTrue(!Files.exists(prefix.resolve("sites/hello-app.conf")));
  }

  private static NginxCommands withUrl(String url, HostConfig config) {
    SlotTarget plain = target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", Slot.BLUE);
    EnvironmentSpec spec = plain.spec();
    EnvironmentSpec at =
        new EnvironmentSpec(
            url,
            spec.hosts(),
            spec.slots(),
            spec.healthPath(),
            spec.rollbackWindow(),
            spec.verification(),
            spec.canary(),
            spec.drainTimeout());
    return new NginxCommands(
        new SlotTarget(plain.service(), plain.environment(), at, Slot.BLUE, plain.image()),
        HOST,
        config);
  }

  private static final HostConfig TLS_CONFIG =
      new HostConfig(
          "staging-1",
          Path.of("/keys/id"),
          Path.of("/keys/known_hosts"),
          CONFIG.dockerHost(),
          CONFIG.nginxPrefix(),
          "/etc/tls/staging.crt",
          "/etc/tls/staging.key");

  @Test
  void anHttpsUrlServesTlsAndHttp2AndRedirectsPlainHttp(@TempDir Path tmp) throws Exception {
    NginxCommands c = withUrl("https://127.0.0.1:18080", TLS_CONFIG);
    String site = c.switchTo(Slot.BLUE);
    assertTrue(site.contains("listen 127.0.0.1:18080 ssl http2;"), site);
    assertTrue(site.contains("ssl_certificate /etc/tls/staging.crt;"), site);
    assertTrue(site.contains("ssl_certificate_key /etc/tls/staging.key;"), site);
    assertTrue(site.contains("error_page 497 =301 https://$host:$server_port$request_uri;"), site);
    Path dir = tmp.toRealPath();
    Path curl =
        Shells.standIns(
            dir, Map.of("curl", "record \"$@\"; printf 'X-Upstream: 127.0.0.1:18081\\r\\n'"));
    Result verified = runWith(curl, c.verify(Slot.BLUE, 20), null);
    assertEquals(0, verified.code(), verified.out());
    String verify = Shells.calls(dir).get(0);
    assertTrue(
        verify.startsWith("-s -k -m 1 -o /dev/null -D - https://127.0.0.1:18080/healthz"), verify);
    for (Map.Entry<String, String> command : all(c, Slot.BLUE).entrySet()) {
      assertEquals(0, run("sh", "-n", "-c", command.getValue()).code(), command.getKey());
    }
  }

  /** Over plain HTTP, without -k; a slot that does not answer is named in the one line. */
  @Test
  void verifyAsksThroughNginxUntilTheSlotAnswers(@TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    Path curl =
        Shells.standIns(
            dir, Map.of("curl", "record \"$@\"; printf 'x-upstream: 127.0.0.1:18081\\r\\n'"));
    Result other = runWith(curl, commands(Slot.GREEN).verify(Slot.GREEN, 1), null);
    assertEquals(1, other.code());
    assertEquals("nginx still answers from 127.0.0.1:18081\n", other.out());
    assertTrue(
        Shells.calls(dir)
            .get(0)
            .startsWith("-s -m 1 -o /dev/null -D - http://127.0.0.1:18080/healthz"),
        Shells.calls(dir).get(0));
  }

  @Test
  void anHttpUrlStaysPlainOnAHostWithACertificate() {
    String site = withUrl("http://127.0.0.1:18080", TLS_CONFIG).switchTo(Slot.BLUE);
    assertTrue(site.contains("listen 127.0.0.1:18080;"), site);
    assertTrue(!site.contains("ssl"), site);
  }

  @Test
  void anHttpsUrlOnAHostWithoutACertificateBuildsNoCommand() {
    UnsafeValue refused =
        assertThrows(UnsafeValue.class, () -> withUrl("https://127.0.0.1:18080", CONFIG));
    assertEquals(
        "the url is https but host 'staging-1' has no tlsCertificate and tlsKey"
            + " (RELEASE_HOSTS_FILE)",
        refused.getMessage());
  }

  /** The old workers gone, the drain ends at once; one still alive outlives it. */
  @Test
  void drainWaitsForTheOldWorkers() throws Exception {
    assertEquals(0, run("sh", "-c", NginxCommands.drain("", 1)).code());
    Process alive = new ProcessBuilder("sleep", "30").start();
    try {
      Result waited = run("sh", "-c", NginxCommands.drain(alive.pid() + " ", 1));
      assertEquals(1, waited.code());
      assertEquals("old nginx workers still running\n", waited.out());
    } finally {
      alive.destroy();
    }
  }
}
