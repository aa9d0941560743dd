package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.releaseengine.cli.LiveEngine.cli;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.releaseengine.EngineNames;
import org.releaseengine.cli.LiveEngine.Run;

/** release-cli in-process against the embedded server on a real port, with stand-in stages. */
class ReleaseCliIT {

  private static final String SHA_A = "aaaaaaa111111111111111111111111111111111";
  private static final String SHA_B = "bbbbbbb222222222222222222222222222222222";

  private static LiveEngine engine;

  @TempDir Path dir;

  @BeforeAll
  static void startEngine() {
    engine = new LiveEngine();
  }

  @AfterAll
  static void stopEngine() {
    engine.close();
  }

  private static String key(String person) {
    return engine.key(person);
  }

  private Path config(String service) {
    return ReleaseYaml.write(dir, ReleaseYaml.valid(service, ""));
  }

  private static void assertOneLineError(Run run, int code, String expected) {
    assertEquals(code, run.exitCode(), run.toString());
    List<String> lines = run.err().lines().toList();
    assertEquals(1, lines.size(), "exactly one line on stderr: " + run.err());
    assertEquals("release-cli: " + expected, lines.get(0));
    assertFalse(run.err().contains("Exception"), run.err());
  }

  /** Starts a release and waits (polling status) until it awaits approval. */
  private String startAwaitingApproval(String service, String sha, String as) {
    Run start = cli("start", "--config", config(service).toString(), "--sha", sha, "--as", as);
    assertEquals(0, start.exitCode(), start.toString());
    awaitOutput(service + "/" + sha.substring(0, 7), "AWAITING_APPROVAL");
    return EngineNames.releaseId(service, sha);
  }

  @Test
  void helpListsEverySubcommand() {
    Run help = cli("--help");
    assertEquals(0, help.exitCode());
    for (String command :
        List.of(
            "start",
            "status",
            "watch",
            "list",
            "approve",
            "reject",
            "abort",
            "promote",
            "rollback",
            "history",
            "audit",
            "dora",
            "validate")) {
      assertTrue(
          help.out().contains("  " + command + " "), command + " missing from:\n" + help.out());
      Run own = cli(command, "--help");
      assertEquals(0, own.exitCode(), command + " --help: " + own);
      assertTrue(own.out().startsWith("Usage: release-cli " + command), own.out());
    }
  }

  @Test
  void fullReleaseWithWaitApproveStatusListAndHistory() throws Exception {
    Path config = config("shop");
    CompletableFuture<Run> waiting =
        CompletableFuture.supplyAsync(
            () ->
                cli(
                    "start",
                    "--config",
                    config.toString(),
                    "--sha",
                    SHA_A,
                    "--wait",
                    "--as",
                    "dave"));
    String id = EngineNames.releaseId("shop", SHA_A);
    awaitState("shop/aaaaaaa", "AWAITING_APPROVAL");

    Run approve = cli("approve", "shop/aaaaaaa", "--key", key("bob"), "--comment", "ship it");
    assertEquals(0, approve.exitCode(), approve.toString());
    assertEquals(
        "approved " + id + " as bob (1 of 1 required); it goes on to production",
        approve.out().trim());

    Run done = waiting.get();
    assertEquals(0, done.exitCode(), done.toString());
    assertTrue(
        done.out().contains(id + " SUCCEEDED: 127.0.0.1:5000/shop@sha256:aaaaaaa1"), done.out());
    assertTrue(done.out().trim().endsWith("(approved by bob)"), done.out());

    Run json = cli("status", id, "--output", "json");
    assertEquals(0, json.exitCode());
    assertTrue(json.out().contains("\"state\" : \"SUCCEEDED\""), json.out());
    assertTrue(json.out().contains("\"comment\" : \"ship it\""), json.out());
    assertTrue(cli("status", id).out().lines().noneMatch(l -> l.startsWith("Temporal UI:")));
    System.setProperty("temporal.ui.address", "127.0.0.1:8233");
    try {
      Run linked = cli("status", "shop/aaaaaaa");
      assertTrue(
          linked
              .out()
              .lines()
              .anyMatch(
                  l ->
                      l.matches(
                          "Temporal UI: http://127\\.0\\.0\\.1:8233/namespaces/default/workflows/"
                              + "release%2Fshop%2F"
                              + SHA_A
                              + "/[0-9a-f-]{36}/history")),
          linked.out());
    } finally {
      System.clearProperty("temporal.ui.address");
    }

    Run list = cli("list", "--service", "shop");
    assertTrue(list.out().contains("aaaaaaa11111") && list.out().contains("SUCCEEDED"), list.out());
    Run history = cli("history", "--service", "shop", "--env", "production");
    assertEquals(0, history.exitCode(), history.toString());
    assertTrue(
        history.out().startsWith("shop production: live " + SHA_A + " (blue slot)"), history.out());
    assertTrue(history.out().contains("  audit trail "), history.out());
    assertTrue(
        history.out().lines().anyMatch(l -> l.matches(" +approve by bob \\(SHA256:.+\\): ship it")),
        history.out());

    // the audit trail as JSON lines: staging's deploy, then production's with its approval
    Run audit = cli("audit", "--service", "shop", "--output", "json");
    assertEquals(0, audit.exitCode(), audit.toString());
    List<String> lines = audit.out().lines().toList();
    assertEquals(2, lines.size(), audit.out());
    assertTrue(lines.stream().allMatch(l -> l.startsWith("{\"id\":")), audit.out());
    assertTrue(lines.get(1).contains("\"environment\":\"production\""), lines.get(1));
    assertTrue(
        lines.get(1).contains("\"kind\":\"approve\",\"by\":\"bob\",\"comment\":\"ship it\""),
        lines.get(1));
    assertTrue(lines.get(1).contains("\"summary\":"), lines.get(1));

    Run dora = cli("dora", "--service", "shop");
    assertEquals(0, dora.exitCode(), dora.toString());
    assertTrue(
        dora.out().contains("  deployment frequency 0.03/day (1 deploy in 30d)"), dora.out());
    assertTrue(dora.out().contains("  lead time "), dora.out());
    assertTrue(dora.out().contains("  change failure rate 0% (0 of 1"), dora.out());
  }

  @Test
  void startingARunningReleaseAgainAttaches() {
    startAwaitingApproval("attach", SHA_A, "dave");
    Run again = cli("start", "--config", config("attach").toString(), "--sha", SHA_A);
    assertEquals(0, again.exitCode());
    assertEquals(
        "attached to " + EngineNames.releaseId("attach", SHA_A) + ", which is already running",
        again.out().trim());
    Run list = cli("list", "--service", "attach", "--output", "json");
    assertEquals(1, list.out().split("\"releaseId\"").length - 1, list.out());
  }

  @Test
  void rejectionEndsWithExitCodeThreeAndNamesTheStage() throws Exception {
    Path config = config("rejected");
    CompletableFuture<Run> waiting =
        CompletableFuture.supplyAsync(
            () ->
                cli(
                    "start",
                    "--config",
                    config.toString(),
                    "--sha",
                    SHA_A,
                    "--wait",
                    "--as",
                    "dave"));
    awaitState("rejected/aaaaaaa", "AWAITING_APPROVAL");
    assertEquals(
        0,
        cli("reject", "rejected/aaaaaaa", "--key", key("carol"), "--comment", "freeze").exitCode());
    Run done = waiting.get();
    assertEquals(3, done.exitCode());
    assertEquals(
        EngineNames.releaseId("rejected", SHA_A)
            + " REJECTED at stage approval: rejected by carol: freeze",
        done.err().trim());
  }

  @Test
  void approvalRefusalsAreOneLineEach() {
    String id = startAwaitingApproval("refusals", SHA_A, "alice");
    assertOneLineError(
        cli("approve", id, "--key", key("mallory")),
        2,
        "cannot approve "
            + id
            + ": mallory is not an allowed approver (allowed: alice, bob, carol)");
    assertOneLineError(
        cli("approve", id, "--key", key("alice")),
        2,
        "cannot approve " + id + ": alice requested this release and self-approval is not allowed");
    assertOneLineError(
        cli("promote", id, "--key", key("bob")),
        2,
        "cannot promote " + id + ": no canary step is running");
    Path quorum = ReleaseYaml.write(dir, ReleaseYaml.valid("quorum", "required: 2"));
    assertEquals(
        0, cli("start", "--config", quorum.toString(), "--sha", SHA_B, "--as", "dave").exitCode());
    awaitState("quorum/bbbbbbb", "AWAITING_APPROVAL");
    Run first = cli("approve", "quorum/bbbbbbb", "--key", key("bob"));
    assertTrue(first.out().contains("(1 of 2 required); waiting for 1 more"), first.toString());
    assertOneLineError(
        cli("approve", "quorum/bbbbbbb", "--key", key("bob")),
        2,
        "cannot approve "
            + EngineNames.releaseId("quorum", SHA_B)
            + ": bob has already approved this release");
  }

  @Test
  void approvingAReleaseThatIsNotWaitingIsRefused() {
    engine.stages.deployTime = Duration.ofSeconds(3);
    try {
      assertEquals(
          0, cli("start", "--config", config("early").toString(), "--sha", SHA_A).exitCode());
      awaitState("early/aaaaaaa", "RUNNING");
      Run early = cli("approve", "early/aaaaaaa", "--key", key("bob"));
      assertEquals(2, early.exitCode());
      assertTrue(
          early
              .err()
              .startsWith(
                  "release-cli: cannot approve "
                      + EngineNames.releaseId("early", SHA_A)
                      + ": the release is not awaiting approval (RUNNING"),
          early.err());
    } finally {
      engine.stages.deployTime = Duration.ZERO;
    }
  }

  @Test
  void badInputsAreOneClearLine() {
    assertOneLineError(
        cli("start", "--config", config("x").toString(), "--sha", "12345"),
        2,
        "malformed sha '12345': start needs the full 40-hex commit sha");
    assertOneLineError(
        cli("status", "shop/zzzzzzz"),
        2,
        "malformed release id 'shop/zzzzzzz': "
            + "use <service>/<sha-prefix of at least 7 hex> or release/<service>/<sha>");
    assertOneLineError(
        cli("status", "nosuch/1234567"),
        2,
        "unknown release: no release of nosuch has a sha starting 1234567");
    assertOneLineError(
        cli("status", EngineNames.releaseId("nosuch", SHA_A)),
        2,
        "unknown release: " + EngineNames.releaseId("nosuch", SHA_A));
    assertOneLineError(
        cli("rollback", "--service", "shop", "--env", "qa", "--sha", SHA_A),
        2,
        "unknown environment: shop has never been deployed to 'qa'");
    assertOneLineError(
        cli("rollback", "--service", "shop", "--env", "prod;rm -rf /", "--sha", SHA_A),
        2,
        "malformed environment name 'prod;rm -rf /'");
    assertOneLineError(
        cli("start", "--sha", SHA_A),
        2,
        "Missing required option: '--config=FILE' (see release-cli start --help)");
  }

  @Test
  void rollbackToAnUnknownShaIsRefusedAndAKnownOneSwitchesBack() {
    for (String sha : List.of(SHA_A, SHA_B)) {
      String id = startAwaitingApproval("rolling", sha, "dave");
      assertEquals(0, cli("approve", id, "--key", key("bob")).exitCode());
      awaitState(id, "SUCCEEDED");
    }
    Run unknown =
        cli("rollback", "--service", "rolling", "--env", "production", "--sha", "ccccccc");
    assertOneLineError(
        unknown, 2, "production of rolling never ran ccccccc; it ran: bbbbbbb22222, aaaaaaa11111");

    Run back =
        cli(
            "rollback",
            "--service",
            "rolling",
            "--env",
            "production",
            "--sha",
            "aaaaaaa",
            "--key",
            key("erin"));
    assertEquals(0, back.exitCode(), back.toString());
    assertEquals(
        "rolled back rolling production to "
            + SHA_A
            + ": switched back to the warm blue slot (signed by erin)",
        back.out().trim());
    Run history = cli("history", "--service", "rolling", "--env", "production");
    assertTrue(
        history.out().startsWith("rolling production: live " + SHA_A + " (blue slot); warm green"),
        history.out());
  }

  @Test
  void abortEndsARunningRelease() {
    String id = startAwaitingApproval("aborted", SHA_A, "dave");
    Run abort = cli("abort", id, "--reason", "wrong branch", "--key", key("erin"));
    assertEquals(0, abort.exitCode(), abort.toString());
    assertEquals(
        id + " ABORTED at stage approval: aborted by erin: wrong branch", abort.out().trim());
    assertOneLineError(cli("abort", id), 2, id + " has already ended (ABORTED)");
  }

  @Test
  void unreachableServerIsExitCodeFiveNamingTheAddress() {
    String saved = System.getProperty("temporal.address");
    String closed = "127.0.0.1:" + LiveEngine.freePort();
    System.setProperty("temporal.address", closed);
    try {
      assertOneLineError(
          cli("list"),
          5,
          "cannot reach Temporal at "
              + closed
              + " (Connection refused); start it with bin/release-worker --dev or set TEMPORAL_ADDRESS");
    } finally {
      System.setProperty("temporal.address", saved);
    }
  }

  @Test
  void validateNamesEveryFieldThatIsWrong() {
    String broken =
        ReleaseYaml.valid("shop", "")
            .replace("port: 2223", "port: 70000")
            .replace("url: http://127.0.0.1:18080", "url: ftp://x")
            .replace("service: shop", "service: Shop!");
    Path file = ReleaseYaml.write(dir, broken + "colour: blue\n");
    Run run = cli("validate", "--config", file.toString());
    assertEquals(2, run.exitCode());
    List<String> problems = run.err().lines().map(l -> l.substring(l.indexOf(": ") + 2)).toList();
    assertEquals(
        List.of(
            "unknown field (expected one of approval, e2e, environments, image, notifications, runner, scanners, service, source)",
            "service: must be lowercase letters, digits and '-' (starting with a letter), got 'Shop!'",
            "environments.staging.url: must be an http(s) URL such as http://127.0.0.1:18080, got 'ftp://x'",
            "environments.production.hosts[0].port: must be 1-65535"),
        problems.stream()
            .map(p -> p.startsWith("colour") ? p.substring("colour: ".length()) : p)
            .toList());

    Path gates =
        ReleaseYaml.write(
            dir,
            ReleaseYaml.valid("gates", "")
                + """
        runner: 127.0.0.1:5000/team/runner:1
        scanners:
          - {name: sast, command: sh scan.sh, report: ../../etc/passwd, format: sarif}
          - {name: sca, command: osv-scanner, report: osv.json, format: checkstyle, failOn: severe}
        e2e: {command: run-e2e}
        """);
    Run gateProblems = cli("validate", "--config", gates.toString());
    assertEquals(
        List.of(
            "scanners[0].report: must be a relative path inside the checkout, got '../../etc/passwd'",
            "scanners[1].format: unknown format 'checkstyle' (expected sarif, npm-audit or osv)",
            "scanners[1].failOn: unknown severity 'severe' (expected one of critical, high, moderate, medium, low, "
                + "error, warning, note)"),
        gateProblems.err().lines().map(l -> l.substring(l.indexOf(": ") + 2)).toList());

    Run start = cli("start", "--config", file.toString(), "--sha", SHA_A);
    assertEquals(2, start.exitCode());
    assertEquals(1, start.err().lines().count(), start.err());
    assertTrue(start.err().endsWith("(and 3 more problems)\n"), start.err());
    assertEquals(0, cli("validate", "--config", config("fine").toString()).exitCode());
  }

  @Test
  void promoteMovesAPausedCanaryOnAndStatusShowsItsMeasurements() throws Exception {
    String canary =
        """
            rollbackWindow: 10m
            verification:
              prometheus: http://127.0.0.1:9090
              checks: [{name: error-ratio, query: 'errors{slot="$slot"}', max: 0.05, interval: 1s, count: 1}]
              traffic: {path: /hello, rate: 5/s, duration: 2s}
            canary:
              steps: [{setWeight: 10}, {analysis: all}, {pause: until-promoted}, {setWeight: 50}]
        """;
    Path config =
        ReleaseYaml.write(
            dir, ReleaseYaml.valid("paused", "").replace("    rollbackWindow: 10m\n", canary));
    engine.stages.scriptMetrics(List.of(0.01));
    for (String sha : List.of(SHA_A, SHA_B)) { // the first release has no stable slot: blue-green
      assertEquals(
          0, cli("start", "--config", config.toString(), "--sha", sha, "--as", "dave").exitCode());
      String id = "paused/" + sha.substring(0, 7);
      awaitState(id, "AWAITING_APPROVAL");
      assertEquals(0, cli("approve", id, "--key", key("bob")).exitCode());
      if (sha.equals(SHA_B)) {
        awaitOutput(id, "pause until promoted");
        Run promote = cli("promote", id, "--key", key("carol"));
        assertEquals(
            "promoted "
                + EngineNames.releaseId("paused", SHA_B)
                + ": the canary skips its remaining pauses",
            promote.out().trim());
      }
      awaitState(id, "SUCCEEDED");
    }
    Run status = cli("status", "paused/" + SHA_B.substring(0, 7));
    assertTrue(status.out().contains("(canary promoted)"), status.out());
    assertTrue(status.out().contains("  canary promoted by carol at "), status.out());
    assertTrue(status.out().contains("\n  traffic: 10 requests, 0 failed\n"), status.out());
    assertEquals(
        2,
        status
            .out()
            .lines()
            .filter(l -> l.matches("    .+Z  error-ratio +PASS +0\\.01000"))
            .count(),
        "one measurement at the canary's analysis step, one after the promotion: " + status.out());
  }

  @Test
  void canaryStepsAreCheckedOneByOne() {
    String production = "    rollbackWindow: 10m\n";
    String canary =
        production
            + """
            verification:
              prometheus: http://127.0.0.1:9090
              checks: [{name: error-ratio, query: 'errors{slot="$slot"}', max: 0.05}]
            canary:
              steps:
                - setWeight: 10
                - pause: until-promoted
                - analysis: all
                - setWeight: 50
                - pause: 5m
                - analysis: [error-ratio]
        """;
    String fine = ReleaseYaml.valid("canary", "").replace(production, canary);
    assertEquals(
        0, cli("validate", "--config", ReleaseYaml.write(dir, fine).toString()).exitCode());

    String broken =
        fine.replace("setWeight: 10", "setWeight: 100")
            .replace("pause: 5m", "pause: soon")
            .replace("analysis: [error-ratio]", "analysis: [latency]")
            .replace("- analysis: all", "- {pause: 1m, analysis: all}");
    Run run = cli("validate", "--config", ReleaseYaml.write(dir, broken).toString());
    assertEquals(2, run.exitCode());
    assertEquals(
        List.of(
            "environments.production.canary.steps[0].setWeight: must be 1-99",
            "environments.production.canary.steps[2]: must have exactly one of setWeight, pause or analysis",
            "environments.production.canary.steps[4].pause: must be a positive duration such as 90s, 30m or 24h",
            "environments.production.canary.steps[5].analysis: no verification check is named latency"),
        run.err().lines().map(l -> l.substring(l.indexOf(": ") + 2)).toList());
  }

  @Test
  void consecutiveErrorLimitIsReadAndChecked() {
    String production = "    rollbackWindow: 10m\n";
    String verified =
        production
            + """
            verification:
              prometheus: http://127.0.0.1:9090
              checks:
                - {name: error-ratio, query: 'errors{slot="$slot"}', max: 0.05, consecutiveErrorLimit: 2}
        """;
    String fine = ReleaseYaml.valid("errors", "").replace(production, verified);
    assertEquals(
        0, cli("validate", "--config", ReleaseYaml.write(dir, fine).toString()).exitCode());

    String broken = fine.replace("consecutiveErrorLimit: 2", "consecutiveErrorLimit: -1");
    Run run = cli("validate", "--config", ReleaseYaml.write(dir, broken).toString());
    assertEquals(2, run.exitCode());
    assertTrue(
        run.err().contains("checks[0].consecutiveErrorLimit: must be"), "names the field: " + run);
  }

  private static void awaitOutput(String id, String text) {
    awaitStatus(id, status -> status.out().contains(text), "showed '" + text + "'");
  }

  private static void awaitState(String id, String state) {
    awaitStatus(
        id,
        status ->
            status.exitCode() == 0
                && status.out().lines().findFirst().orElse("").endsWith("  " + state),
        "reached " + state);
  }

  /** Polls `release-cli status ID` until its run matches (30 s at most). */
  private static void awaitStatus(String id, Predicate<Run> matches, String what) {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (!matches.test(cli("status", id))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(id + " never " + what + ": " + cli("status", id));
      }
      sleep(100);
    }
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
