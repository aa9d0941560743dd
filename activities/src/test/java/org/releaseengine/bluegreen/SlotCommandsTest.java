package org.releaseengine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SlotPorts;
import org.releaseengine.model.VolumeSpec;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/** The generated commands are valid shell, with every value quoted, and bad values never build. */
class SlotCommandsTest {

  private static final String SHA = "0123456789abcdef0123456789abcdef01234567";
  private static final String DIGEST = "sha256:" + "ab".repeat(32);
  private static final String PRINT = "0123456789abcdef0123456789abcdef";
  private static final ContainerSpec CONTAINER =
      new ContainerSpec(
          Map.of("GREETING", "hi"),
          List.of("API_KEY"),
          List.of(
              new VolumeSpec("hello-data", "/data", false),
              new VolumeSpec("/srv/volumes/hello", "/config", true)),
          "256m",
          "0.5",
          List.of("/opt/jre/bin/java", "-cp", "/app", "hello.HelloApp"));
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
    all.put("pullWithLogin", c.pullWithLogin());
    all.put("start", c.start(PRINT, false));
    all.put("start with env file", c.start(PRINT, true));
    all.put("healthCheck", c.healthCheck(Duration.ofSeconds(40)));
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
    String start = c.start(PRINT, false);
    assertTrue(start.contains("c='hello-app-staging-green'"), start);
    assertTrue(start.contains("-e PORT='18082'"), start);
    assertTrue(start.contains("--label release.sha='" + SHA + "'"), start);
    assertTrue(start.contains("cfg='" + PRINT + "'"), start);
    assertTrue(start.contains("--stop-timeout 10 "), start);
    assertTrue(c.stop().contains(" stop -t 10 'hello-app-staging-green'"), c.stop());
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

  private static SlotCommands configured(ContainerSpec container) {
    SlotTarget plain = target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", Slot.BLUE);
    return new SlotCommands(
        new SlotTarget(
            plain.service(),
            plain.environment(),
            plain.spec().withContainer(container),
            Slot.BLUE,
            plain.image()),
        HOST,
        CONFIG,
        Slot.BLUE);
  }

  @Test
  void theContainersOptionsAreQuotedWordsAfterTheImage() throws Exception {
    ContainerSpec safe =
        new ContainerSpec(
            null,
            null,
            CONTAINER.volumes(),
            "256m",
            "0.5",
            List.of("/opt/jre/bin/java", "-Dgreeting=hello world", "hello.HelloApp"));
    String start = configured(safe).start(PRINT, true);
    assertTrue(start.contains(" --memory '256m' --cpus '0.5'"), start);
    assertTrue(start.contains(" -v 'hello-data:/data' -v '/srv/volumes/hello:/config:ro'"), start);
    assertTrue(
        start.contains(
            "\"$img\" '/opt/jre/bin/java' '-Dgreeting=hello world' 'hello.HelloApp' >/dev/null"),
        start);
    assertEquals(0, run("sh", "-n", "-c", start).code());
  }

  @Test
  void anUnsafeContainerValueBuildsNoCommand() {
    for (ContainerSpec bad :
        List.of(
            new ContainerSpec(null, null, null, "1g; reboot", null, null),
            new ContainerSpec(null, null, null, null, "1 && id", null),
            new ContainerSpec(
                null,
                null,
                List.of(new VolumeSpec("/srv/../etc", "/etc", false)),
                null,
                null,
                null),
            new ContainerSpec(
                null, null, List.of(new VolumeSpec("x", "rel", false)), null, null, null),
            new ContainerSpec(null, null, null, null, null, List.of("it's")))) {
      assertThrows(UnsafeValue.class, () -> configured(bad), bad.toString());
    }
  }

  /**
   * The start command, run by sh against a stand-in docker that records what it was given: the
   * variables arrive on standard input, sit in an owner-only file while docker run reads it, and
   * are gone afterwards; none of them is on a command line.
   */
  @Test
  void theEnvFileComesFromStandardInputAndIsRemoved(@TempDir Path dir) throws Exception {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Path seen = dir.resolve("seen");
    Files.writeString(
        bin.resolve("docker"),
        "#!/bin/sh\n"
            + "case \"$1\" in run) ;; *) exit 0 ;; esac\n"
            + "echo \"args: $*\" >> "
            + seen
            + "\n"
            + "while [ $# -gt 0 ]; do if [ \"$1\" = --env-file ]; then "
            + "stat -c 'mode: %a' \"$2\" >> "
            + seen
            + "; cat \"$2\" >> "
            + seen
            + "; echo \"file: $2\" >> "
            + seen
            + "; fi; shift; done\n");
    bin.resolve("docker").toFile().setExecutable(true);
    String command = configured(CONTAINER).start(PRINT, true);
    ProcessBuilder shell = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
    shell.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = shell.start();
    p.getOutputStream()
        .write("GREETING=hi\nAPI_KEY=s3cr3t value\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    assertEquals(0, p.exitValue(), out);
    String recorded = Files.readString(seen);
    assertTrue(recorded.contains("mode: 600"), recorded);
    assertTrue(recorded.contains("API_KEY=s3cr3t value\n"), recorded);
    String args = recorded.lines().filter(l -> l.startsWith("args: ")).findFirst().orElseThrow();
    assertTrue(!args.contains("s3cr3t"), args);
    String file = recorded.lines().filter(l -> l.startsWith("file: ")).findFirst().orElseThrow();
    assertTrue(!Files.exists(Path.of(file.substring(6))), "the env file is removed after the run");
  }

  /** A stand-in docker in {@code dir}/bin that records each call in {@code dir}/calls. */
  private static Path standInDocker(Path dir) throws IOException {
    Path bin = Files.createDirectories(dir.resolve("bin"));
    Files.writeString(
        bin.resolve("docker"), "#!/bin/sh\necho \"$*\" >> " + dir.resolve("calls") + "\n");
    bin.resolve("docker").toFile().setExecutable(true);
    return bin;
  }

  /** {@code command} run by sh with the stand-in docker first on the PATH. */
  private static Result runWith(Path bin, String command) throws Exception {
    ProcessBuilder shell = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true);
    shell.environment().put("PATH", bin + ":" + System.getenv("PATH"));
    Process p = shell.start();
    p.getOutputStream().close();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(p.waitFor(10, TimeUnit.SECONDS));
    return new Result(p.exitValue(), out);
  }

  private static ContainerSpec mounting(String... hostPaths) {
    List<VolumeSpec> volumes = new java.util.ArrayList<>();
    volumes.add(new VolumeSpec("hello-data", "/data", false));
    for (int i = 0; i < hostPaths.length; i++) {
      volumes.add(new VolumeSpec(hostPaths[i], "/mnt/v" + i, false));
    }
    return new ContainerSpec(null, null, volumes, null, null, null);
  }

  /**
   * A release mounted {@code <prefix>/x} and put a link to / in it; a later one mounts {@code
   * <prefix>/x/root}, which admission finds under the prefix as text. On the host the start refuses
   * it with one line, and docker is never called: no container is stopped, removed or started.
   */
  @Test
  void aHostPathThroughASymbolicLinkIsRefusedBeforeAnyContainerChanges(@TempDir Path tmp)
      throws Exception {
    Path dir = tmp.toRealPath();
    Path prefix = Files.createDirectories(dir.resolve("volumes"));
    Files.createDirectories(prefix.resolve("x"));
    Files.createSymbolicLink(prefix.resolve("x/root"), Path.of("/"));
    Files.createDirectories(prefix.resolve("inside"));
    Files.createSymbolicLink(prefix.resolve("link-inside"), prefix.resolve("inside"));
    Path bin = standInDocker(dir);
    for (String path :
        List.of(
            prefix + "/x/root",
            prefix + "/x/root/etc",
            prefix + "/./x/root/new/deeper",
            prefix + "/link-inside")) {
      SlotCommands commands = configured(mounting(prefix + "/x", path));
      for (String command : List.of(commands.start(PRINT, false), commands.hostPaths())) {
        Result refused = runWith(bin, command);
        assertEquals(SlotCommands.HOST_PATH_EXIT, refused.code(), path + ": " + refused.out());
        String link = path.contains("link-inside") ? path : prefix + "/x/root";
        assertEquals(
            "host path "
                + path
                + ": "
                + link
                + " is a symbolic link, which could lead out of the volumePrefix; refusing to"
                + " mount it\n",
            refused.out());
        assertTrue(!Files.exists(dir.resolve("calls")), "docker was called: " + path);
      }
    }
  }

  @Test
  void realDirectoriesAndPathsDockerWillCreatePass(@TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    Path prefix = Files.createDirectories(dir.resolve("volumes/shop"));
    Files.writeString(prefix.resolve("app.conf"), "x");
    Path bin = standInDocker(dir);
    SlotCommands commands =
        configured(mounting(prefix.toString(), prefix + "/app.conf", prefix + "/new/deeper"));
    assertEquals(0, runWith(bin, commands.hostPaths()).code());
    Result started = runWith(bin, commands.start(PRINT, false));
    assertEquals(0, started.code(), started.out());
    String calls = Files.readString(dir.resolve("calls"));
    assertTrue(calls.contains(" -v " + prefix + "/new/deeper:/mnt/v2 "), calls);
  }

  /** Where the walk cannot look (a file on the way here; a directory the user may not search). */
  @Test
  void aComponentTheCheckCannotLookIntoIsRefused(@TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    Path file = Files.writeString(Files.createDirectories(dir.resolve("volumes")).resolve("f"), "");
    Path bin = standInDocker(dir);
    Result refused = runWith(bin, configured(mounting(file + "/sub")).start(PRINT, false));
    assertEquals(SlotCommands.HOST_PATH_EXIT, refused.code(), refused.out());
    assertEquals(
        "host path "
            + file
            + "/sub: "
            + file
            + " is not a directory the deploy user can look into, and a symbolic link there would"
            + " go unseen; refusing to mount it\n",
        refused.out());
    assertTrue(!Files.exists(dir.resolve("calls")), "docker was called");
  }

  @Test
  void namedVolumesNeedNoLookOnTheHost() {
    assertEquals("", configured(mounting()).hostPaths());
    assertEquals("", commands(Slot.BLUE).hostPaths());
    String start = configured(mounting()).start(PRINT, false);
    assertTrue(start.startsWith("set -e; c="), start);
  }

  @Test
  void theHostPathCheckQuotesEveryComponent() throws Exception {
    String check = configured(mounting("/srv/volumes/hello")).hostPaths();
    assertTrue(
        check.endsWith(" hp '/srv/volumes/hello' '/srv' '/srv/volumes' '/srv/volumes/hello'; "),
        check);
    assertEquals(0, run("sh", "-n", "-c", check).code());
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

  private static SlotCommands withUrl(String url, HostConfig config) {
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
    return new SlotCommands(
        new SlotTarget(plain.service(), plain.environment(), at, Slot.BLUE, plain.image()),
        HOST,
        config,
        Slot.BLUE);
  }

  @Test
  void anHttpsUrlServesTlsAndHttp2AndRedirectsPlainHttp() throws Exception {
    SlotCommands c = withUrl("https://127.0.0.1:18080", TLS_CONFIG);
    String site = c.switchTraffic();
    assertTrue(site.contains("listen 127.0.0.1:18080 ssl http2;"), site);
    assertTrue(site.contains("ssl_certificate /etc/tls/staging.crt;"), site);
    assertTrue(site.contains("ssl_certificate_key /etc/tls/staging.key;"), site);
    assertTrue(site.contains("error_page 497 =301 https://$host:$server_port$request_uri;"), site);
    String verify = c.verifyThroughNginx(20);
    assertTrue(
        verify.contains("curl -s -k -m 1 -o /dev/null -D - https://127.0.0.1:18080/healthz"),
        verify);
    for (Map.Entry<String, String> command : all(c).entrySet()) {
      assertEquals(0, run("sh", "-n", "-c", command.getValue()).code(), command.getKey());
    }
  }

  @Test
  void anHttpUrlStaysPlainOnAHostWithACertificate() {
    String site = withUrl("http://127.0.0.1:18080", TLS_CONFIG).switchTraffic();
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

  private record Result(int code, String out) {}

  private static Result run(String... command) throws IOException, InterruptedException {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue(process.waitFor(10, TimeUnit.SECONDS), String.join(" ", command));
    return new Result(process.exitValue(), out);
  }
}
