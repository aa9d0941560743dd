package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.client.WorkflowStub;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.io.output.TeeOutputStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.bench.BenchEngine;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.it.ExampleRepo;
import org.releaseengine.it.Infra;
import org.releaseengine.it.TestHosts;
import org.releaseengine.model.ContainerSpec;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.NotificationSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.secrets.SecretStore;
import org.releaseengine.slack.SlackNotifier;
import org.releaseengine.slack.SlackStub;

/**
 * A secret reaches the app and nothing else: a real release (real Temporal server, Docker, sshd,
 * nginx, the authenticated registry) of a service whose staging and production take a secret, then
 * the same sha again after the secret changed; afterwards neither value appears in any workflow
 * history (payloads decoded), any status or environment view, the worker's log, or a Slack message.
 */
class SecretLeakIT {

  private static final String SERVICE = "leak" + (System.nanoTime() % 100000);
  private static final String FIRST = "leak-canary-first-" + System.nanoTime();
  private static final String SECOND = "leak-canary-second-" + System.nanoTime();
  private static final ObjectMapper JSON = new ObjectMapper().findAndRegisterModules();

  @AfterAll
  static void cleanUp() {
    TestHosts.cleanUp(SERVICE);
  }

  @Test
  void noSecretValueInHistoriesStatusesLogsOrSlack() throws Exception {
    Path secrets = Infra.tempDir("secrets-");
    for (String env : List.of("staging", "production")) {
      Files.createDirectories(secrets.resolve(SERVICE + "/" + env));
      Files.writeString(secrets.resolve(SERVICE + "/" + env + "/DEMO_SECRET"), FIRST + "\n");
    }
    ContainerSpec container =
        new ContainerSpec(Map.of("GREETING", "hi"), List.of("DEMO_SECRET"), null, null, null, null);
    ExampleRepo repo = ExampleRepo.create();
    String sha = repo.commit("", "v1");
    ReleaseSpec base =
        BenchEngine.spec(
            SERVICE,
            repo.dir(),
            TestHosts.environment("staging").withContainer(container),
            TestHosts.environment("production").withContainer(container));
    ReleaseSpec spec =
        new ReleaseSpec(
            base.service(),
            base.source(),
            base.image(),
            base.approval(),
            base.environments(),
            null,
            null,
            new NotificationSpec("#releases"));

    ByteArrayOutputStream log = new ByteArrayOutputStream();
    PrintStream err = System.err;
    List<String> runs = new ArrayList<>();
    Map<String, String> seen = new LinkedHashMap<>();
    try (SlackStub slack = new SlackStub();
        BenchEngine engine =
            new BenchEngine(
                SecretStore.fromEnvironment(Map.of("RELEASE_SECRETS_DIR", secrets.toString())),
                new SlackNotifier("xoxb-test-token", "#releases", slack.apiUrl()))) {
      System.setErr(new PrintStream(new TeeOutputStream(err, log), true, StandardCharsets.UTF_8));
      try {
        runs.add(release(engine, spec, sha));
        assertTrue(config(spec).contains("(" + FIRST.length() + " chars)"), config(spec));
        for (String env : List.of("staging", "production")) {
          Files.writeString(secrets.resolve(SERVICE + "/" + env + "/DEMO_SECRET"), SECOND + "\n");
        }
        runs.add(release(engine, spec, sha));
        assertTrue(config(spec).contains("(" + SECOND.length() + " chars)"), config(spec));
      } finally {
        System.setErr(err);
      }
      String releaseId = EngineNames.releaseId(SERVICE, sha);
      for (String run : runs) {
        var history = engine.client.fetchHistory(releaseId, run);
        seen.put(
            "history of " + releaseId + " run " + run, history.toJson(true) + history.getHistory());
      }
      for (String env : List.of("staging", "production")) {
        String id = EngineNames.environmentId(SERVICE, env);
        var history = engine.client.fetchHistory(id);
        seen.put("history of " + id, history.toJson(true) + history.getHistory());
        seen.put(
            "view of " + id,
            JSON.writeValueAsString(
                engine.client.newWorkflowStub(EnvironmentWorkflow.class, id).view()));
      }
      ReleaseStatus status =
          engine.client.newWorkflowStub(ReleaseWorkflow.class, releaseId).status();
      seen.put("status of " + releaseId, JSON.writeValueAsString(status));
      seen.put("the worker's log", log.toString(StandardCharsets.UTF_8));
      seen.put("Slack messages", slack.calls.toString());
      assertFalse(slack.calls.isEmpty(), "the release posted to Slack");
      assertTrue(
          seen.get("the worker's log").contains(SERVICE + " production: "),
          "the worker's log was captured");
      assertTrue(
          seen.get("history of " + EngineNames.environmentId(SERVICE, "production"))
              .contains("DEMO_SECRET"),
          "the secret's name is in history (names only)");
    }
    seen.forEach(
        (where, text) -> {
          assertFalse(text.contains(FIRST), "the first secret value is in " + where);
          assertFalse(text.contains(SECOND), "the second secret value is in " + where);
        });
    // two release runs, two environments (history and view each), a status, the log, Slack
    assertEquals(9, seen.size(), seen.keySet().toString());
  }

  /** Releases the sha (approved as soon as it waits) and returns the run's id. */
  private static String release(BenchEngine engine, ReleaseSpec spec, String sha) throws Exception {
    ReleaseWorkflow release = engine.startApproved(spec, sha);
    WorkflowStub stub = WorkflowStub.fromTyped(release);
    ReleaseStatus done = stub.getResult(ReleaseStatus.class);
    assertEquals(ReleaseState.SUCCEEDED, done.state(), done.reason());
    return stub.getExecution().getRunId();
  }

  private static String config(ReleaseSpec spec) throws Exception {
    EnvironmentSpec production = spec.environment("production");
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(production.url() + "/config")).build(),
            HttpResponse.BodyHandlers.ofString())
        .body();
  }
}
