package org.releaseengine.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.ssh.Shells.CONFIG;
import static org.releaseengine.ssh.Shells.DIGEST;
import static org.releaseengine.ssh.Shells.SHA;
import static org.releaseengine.ssh.Shells.run;
import static org.releaseengine.ssh.Shells.runWith;
import static org.releaseengine.ssh.Shells.target;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.model.VolumeSpec;
import org.releaseengine.ssh.HostConfig;
import org.releaseengine.ssh.HostScript;
import org.releaseengine.ssh.ShellValues.UnsafeValue;
import org.releaseengine.ssh.Shells;
import org.releaseengine.ssh.Shells.Result;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * The Docker commands are valid shell, with every value quoted, do on the host what they say (run
 * by sh against a stand-in docker), and bad values never build.
 */
class DockerCommandsTest {

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

  /** A guard that lets every change through, and one that refuses the way a proxy's does. */
  private static final HostScript LET_THROUGH = new HostScript("guard.sh", "exit 0", List.of());

  private static final HostScript REFUSE =
      new HostScript("guard.sh", "echo 'the slot serves traffic' >&2; exit 3", List.of());

  private static DockerCommands commands(Slot slot) {
    return new DockerCommands(
        target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", slot), CONFIG);
  }

  /** Every command DockerCommands builds, by name. */
  private static Map<String, String> all(DockerCommands c, Slot slot) {
    Map<String, String> all = new LinkedHashMap<>();
    all.put("pull", c.pull());
    all.put("pullWithLogin", c.pullWithLogin());
    all.put("start", c.start(slot, PRINT, false, LET_THROUGH));
    all.put("start with env file", c.start(slot, PRINT, true, LET_THROUGH));
    all.put("start unguarded", c.start(slot, PRINT, false, null));
    all.put("health", c.health(slot, Duration.ofSeconds(40)));
    all.put("running", c.running(slot));
    all.put("stop", c.stop(slot, null));
    all.put("stop guarded", c.stop(slot, REFUSE));
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
    DockerCommands c = commands(Slot.GREEN);
    assertTrue(c.pull().contains("'127.0.0.1:5000/team/hello-app@" + DIGEST + "'"), c.pull());
    String start = c.start(Slot.GREEN, PRINT, false, LET_THROUGH);
    assertTrue(start.contains(" 'hello-app-staging-green' "), start);
    assertTrue(start.contains("-e PORT='18082'"), start);
    assertTrue(start.contains("--label release.sha='" + SHA + "'"), start);
    assertTrue(start.contains(" '" + PRINT + "' "), start);
    assertTrue(c.stop(Slot.GREEN, null).contains(" 'hello-app-staging-green' "));
    assertTrue(c.pull().contains(" 'unix:///var/tmp/infra/docker.sock' "), c.pull());
  }

  /** A stand-in docker that records each call with its DOCKER_HOST; inspect finds nothing. */
  private static Path recordingDocker(Path dir) throws IOException {
    return Shells.standIns(dir, Map.of("docker", "record \"DOCKER_HOST=$DOCKER_HOST\" \"$@\""));
  }

  /** What docker is given: by digest, at the host's endpoint, the slot's name, port and limits. */
  @Test
  void dockerIsGivenTheValuesAsTheyWere(@TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    Path bin = recordingDocker(dir);
    DockerCommands c = commands(Slot.GREEN);
    assertEquals(0, runWith(bin, c.pull(), null).code());
    assertEquals(0, runWith(bin, c.start(Slot.GREEN, PRINT, false, LET_THROUGH), null).code());
    assertEquals(0, runWith(bin, c.stop(Slot.GREEN, null), null).code());
    List<String> calls = Shells.calls(dir);
    assertTrue(
        calls
            .get(0)
            .startsWith(
                "DOCKER_HOST=unix:///var/tmp/infra/docker.sock pull -q 127.0.0.1:5000/team/hello-app@"
                    + DIGEST),
        calls.get(0));
    String run = calls.stream().filter(l -> l.contains(" run -d ")).findFirst().orElseThrow();
    assertTrue(run.contains(" --name hello-app-staging-green "), run);
    assertTrue(run.contains("--stop-timeout 10 "), run);
    assertTrue(run.contains(" -e PORT=18082 "), run);
    assertTrue(run.contains(" --label release.sha=" + SHA + " "), run);
    assertTrue(run.contains(" --label release.config=" + PRINT + " "), run);
    assertTrue(calls.get(calls.size() - 2).contains(" stop -t 10 hello-app-staging-green"));
    assertTrue(calls.get(calls.size() - 1).contains(" rm -f hello-app-staging-green"));
  }

  /** The guard runs once the container is to be replaced; its refusal changes nothing. */
  @Test
  void aRefusingGuardStopsTheStartBeforeAnyContainerChanges(@TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    Path bin = recordingDocker(dir);
    DockerCommands c = commands(Slot.GREEN);
    Result refused = runWith(bin, c.start(Slot.GREEN, PRINT, false, REFUSE), null);
    assertEquals(3, refused.code(), refused.out());
    assertEquals("the slot serves traffic\n", refused.out());
    Result kept = runWith(bin, c.stop(Slot.GREEN, REFUSE), null);
    assertEquals(3, kept.code(), kept.out());
    assertTrue(Shells.calls(dir).stream().allMatch(l -> l.contains(" inspect ")));
  }

  /** A slot that already runs this image with this configuration is left alone, guard or not. */
  @Test
  void aSlotAlreadyRunningTheLaunchIsLeftAlone(@TempDir Path tmp) throws Exception {
    Path dir = tmp.toRealPath();
    String image = "127.0.0.1:5000/team/hello-app@" + DIGEST;
    Path bin =
        Shells.standIns(
            dir,
            Map.of(
                "docker",
                "record \"$@\"; [ \"$1\" = inspect ] && echo '" + image + " true " + PRINT + "'"));
    Result started =
        runWith(bin, commands(Slot.GREEN).start(Slot.GREEN, PRINT, false, REFUSE), null);
    assertEquals(0, started.code(), started.out());
    assertEquals("already-running\n", started.out());
    assertEquals(1, Shells.calls(dir).size());
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
          () -> new DockerCommands(value.getValue().apply(Slot.BLUE), CONFIG),
          value.getKey());
    }
    HostConfig badDocker =
        new HostConfig("staging-1", null, null, "unix:///x.sock $(id)", CONFIG.nginxPrefix());
    assertThrows(
        UnsafeValue.class,
        () ->
            new DockerCommands(
                target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", Slot.BLUE),
                badDocker));
    assertThrows(
        UnsafeValue.class, () -> commands(Slot.BLUE).start(Slot.BLUE, "not hex", false, null));
  }

  private static DockerCommands configured(ContainerSpec container) {
    SlotTarget plain = target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", Slot.BLUE);
    return new DockerCommands(
        new SlotTarget(
            plain.service(),
            plain.environment(),
            plain.spec().withContainer(container),
            Slot.BLUE,
            plain.image()),
        CONFIG);
  }

  @Test
  void theContainersOptionsAreQuotedWordsAfterTheImage(@TempDir Path tmp) throws Exception {
    ContainerSpec safe =
        new ContainerSpec(
            null,
            null,
            CONTAINER.volumes(),
            "256m",
            "0.5",
            List.of("/opt/jre/bin/java", "-Dgreeting=hello world", "hello.HelloApp"));
    String start = configured(safe).start(Slot.BLUE, PRINT, true, LET_THROUGH);
    assertTrue(start.contains(" --memory '256m' --cpus '0.5'"), start);
    assertTrue(start.contains(" -v 'hello-data:/data' -v '/srv/volumes/hello:/config:ro'"), start);
    assertTrue(
        start.endsWith(" -- '/opt/jre/bin/java' '-Dgreeting=hello world' 'hello.HelloApp'"), start);
    assertEquals(0, run("sh", "-n", "-c", start).code());
    Path dir = tmp.toRealPath();
    Result started = runWith(recordingDocker(dir), start, "A=b\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, started.code(), started.out());
    String run = Shells.joined(Shells.calls(dir));
    assertTrue(
        run.endsWith(
            " [127.0.0.1:5000/team/hello-app@"
                + DIGEST
                + "] [/opt/jre/bin/java] [-Dgreeting=hello world] [hello.HelloApp]"),
        run);
    assertTrue(
        run.contains(
            " [--memory] [256m] [--cpus] [0.5] [-v] [hello-data:/data] [-v]"
                + " [/srv/volumes/hello:/config:ro] "),
        run);
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
    String command = configured(CONTAINER).start(Slot.BLUE, PRINT, true, LET_THROUGH);
    Result ran =
        runWith(
            bin, command, "GREETING=hi\nAPI_KEY=s3cr3t value\n".getBytes(StandardCharsets.UTF_8));
    assertEquals(0, ran.code(), ran.out());
    String recorded = Files.readString(seen);
    assertTrue(recorded.contains("mode: 600"), recorded);
    assertTrue(recorded.contains("API_KEY=s3cr3t value\n"), recorded);
    String args = recorded.lines().filter(l -> l.startsWith("args: ")).findFirst().orElseThrow();
    assertTrue(!args.contains("s3cr3t"), args);
    assertTrue(!command.contains("s3cr3t"), command);
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
      DockerCommands commands = configured(mounting(prefix + "/x", path));
      for (String command :
          List.of(commands.start(Slot.BLUE, PRINT, false, LET_THROUGH), commands.hostPaths())) {
        Result refused = runWith(bin, command, null);
        assertEquals(DockerCommands.HOST_PATH_EXIT, refused.code(), path + ": " + refused.out());
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
    DockerCommands commands =
        configured(mounting(prefix.toString(), prefix + "/app.conf", prefix + "/new/deeper"));
    assertEquals(0, runWith(bin, commands.hostPaths(), null).code());
    Result started = runWith(bin, commands.start(Slot.BLUE, PRINT, false, LET_THROUGH), null);
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
    Result refused =
        runWith(
            bin, configured(mounting(file + "/sub")).start(Slot.BLUE, PRINT, false, null), null);
    assertEquals(DockerCommands.HOST_PATH_EXIT, refused.code(), refused.out());
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
    String start = configured(mounting()).start(Slot.BLUE, PRINT, false, null);
    assertTrue(start.startsWith("sh -c "), start);
    assertTrue(!start.contains("host-paths.sh"), start);
  }

  @Test
  void theHostPathCheckQuotesEveryComponent() throws Exception {
    String check = configured(mounting("/srv/volumes/hello")).hostPaths();
    assertTrue(
        check.endsWith(
            " host-paths.sh '/srv/volumes/hello' '/srv' '/srv/volumes' '/srv/volumes/hello' --"),
        check);
    assertEquals(0, run("sh", "-n", "-c", check).code());
  }
}
