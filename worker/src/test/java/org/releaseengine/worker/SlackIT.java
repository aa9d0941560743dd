package org.releaseengine.worker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.slack.api.app_backend.SlackSignature;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.Specs;
import org.releaseengine.StandInPolicy;
import org.releaseengine.StandInStages;
import org.releaseengine.model.ApprovalPolicy;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.slack.ReleaseMessage;
import org.releaseengine.slack.SlackNotifier;
import org.releaseengine.slack.SlackStub;

/**
 * The real notifier (official Slack SDK) against a local stub of Slack's API, and the interactions
 * endpoint with signed, forged and replayed clicks, on the embedded server with stand-in stages.
 */
class SlackIT {

  private static final String SECRET = "8f742231b10e8888abcd99yyyzzz85a5";
  private static final String SHA = Specs.SHA_1;

  private SlackStub slack;

  /** Which Slack user is which person: the endpoint's early check and the policy's. */
  private static final Map<String, String> USERS =
      Map.of("U01ALICE", "alice", "U02BOB", "bob", "U09MALLORY", "mallory");

  private DevEngine engine;
  private SlackInteractions interactions;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws Exception {
    slack = new SlackStub();
    StandInPolicy policy = new StandInPolicy();
    policy.slackSecret = SECRET;
    policy.slackUsers = USERS;
    engine =
        DevEngine.start(
            0,
            new StandInStages(),
            policy,
            new SlackNotifier("xoxb-test-token", "#releases", slack.apiUrl()));
    interactions =
        new SlackInteractions(
            new InetSocketAddress("127.0.0.1", 0), SECRET, USERS, engine.client());
  }

  @AfterEach
  void stop() {
    interactions.close();
    engine.close();
    slack.close();
  }

  private ReleaseWorkflow start(ReleaseSpec spec) {
    ReleaseWorkflow release =
        engine
            .client()
            .newWorkflowStub(
                ReleaseWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(EngineNames.releaseId(spec.service(), SHA))
                    .setTaskQueue(EngineNames.TASK_QUEUE)
                    .build());
    WorkflowClient.start(release::run, Specs.request(spec, SHA, "dave"));
    return release;
  }

  private static ReleaseStatus await(ReleaseWorkflow release, Predicate<ReleaseStatus> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    ReleaseStatus status = release.status();
    while (!condition.test(status)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never matched: " + status);
      }
      Thread.sleep(50);
      status = release.status();
    }
    return status;
  }

  private void awaitCalls(String method, Predicate<List<SlackStub.Call>> condition)
      throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (!condition.test(slack.calls(method))) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(method + " never matched: " + slack.calls(method));
      }
      Thread.sleep(50);
    }
  }

  private String click(String user, String action, String releaseId) {
    JsonObject payload =
        JsonParser.parseString(
                """
        {"type": "block_actions", "user": {"id": "%s", "username": "someone"}, "response_url": "%s",
         "actions": [{"type": "button", "action_id": "%s", "block_id": "approval", "value": "%s",
                      "action_ts": "%s"}]}
        """
                    .formatted(user, slack.responseUrl(), action, releaseId, System.nanoTime()))
            .getAsJsonObject();
    return "payload=" + URLEncoder.encode(payload.toString(), StandardCharsets.UTF_8);
  }

  private int post(String body, long timestampSeconds, String signature) throws Exception {
    HttpRequest request =
        HttpRequest.newBuilder(
                URI.create("http://127.0.0.1:" + interactions.port() + "/slack/interactions"))
            .header("X-Slack-Request-Timestamp", String.valueOf(timestampSeconds))
            .header("X-Slack-Signature", signature)
            .header("Content-Type", "application/x-www-form-urlencoded")
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
  }

  private int signedPost(String body) throws Exception {
    long now = System.currentTimeMillis() / 1000;
    return post(
        body, now, new SlackSignature.Generator(SECRET).generate(String.valueOf(now), body));
  }

  private String lastResponse() throws Exception {
    awaitCalls("response", calls -> !calls.isEmpty());
    List<SlackStub.Call> responses = slack.calls("response");
    return body(responses.get(responses.size() - 1)).get("text").getAsString();
  }

  /** A call's parameters as JSON: its JSON body, or its form fields as strings. */
  private static JsonObject body(SlackStub.Call call) {
    if (call.json() != null) {
      return JsonParser.parseString(call.json()).getAsJsonObject();
    }
    JsonObject body = new JsonObject();
    call.fields().forEach(body::addProperty);
    return body;
  }

  private static JsonArray blocks(SlackStub.Call call) {
    JsonElement blocks = body(call).get("blocks");
    return blocks.isJsonArray()
        ? blocks.getAsJsonArray()
        : JsonParser.parseString(blocks.getAsString()).getAsJsonArray();
  }

  private static List<JsonObject> buttons(SlackStub.Call call) {
    List<JsonObject> buttons = new java.util.ArrayList<>();
    for (JsonElement block : blocks(call)) {
      if ("actions".equals(block.getAsJsonObject().get("type").getAsString())) {
        block
            .getAsJsonObject()
            .getAsJsonArray("elements")
            .forEach(e -> buttons.add(e.getAsJsonObject()));
      }
    }
    return buttons;
  }

  @Test
  void oneMessageUpdatedInPlaceWithButtonsThenTheApprover() throws Exception {
    ReleaseWorkflow release = start(Specs.spec("shop"));
    String id = EngineNames.releaseId("shop", SHA);
    await(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    awaitCalls("chat.update", calls -> calls.stream().anyMatch(c -> !buttons(c).isEmpty()));

    assertEquals(1, slack.calls("chat.postMessage").size(), "one message per release");
    assertEquals(
        "#releases", body(slack.calls("chat.postMessage").get(0)).get("channel").getAsString());
    String ts = "1700000000.101";
    assertTrue(
        slack.calls("chat.update").stream()
            .allMatch(c -> body(c).get("ts").getAsString().equals(ts)),
        "every update is for the first message's ts");
    SlackStub.Call waiting =
        slack.calls("chat.update").stream()
            .filter(c -> !buttons(c).isEmpty())
            .findFirst()
            .orElseThrow();
    List<JsonObject> buttons = buttons(waiting);
    assertEquals(
        List.of(ReleaseMessage.APPROVE, ReleaseMessage.REJECT),
        buttons.stream().map(b -> b.get("action_id").getAsString()).toList());
    assertTrue(
        buttons.stream().allMatch(b -> b.get("value").getAsString().equals(id)),
        "both carry the release id");

    assertEquals(200, signedPost(click("U01ALICE", ReleaseMessage.APPROVE, id)));
    ReleaseStatus done = WorkflowStub.fromTyped(release).getResult(ReleaseStatus.class);
    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertEquals(List.of("alice"), done.approvers());
    assertEquals(
        "approved " + id + " as alice (1 of 1 required); it goes on to production", lastResponse());
    awaitCalls(
        "chat.update", calls -> body(calls.get(calls.size() - 1)).toString().contains("SUCCEEDED"));
    SlackStub.Call last = slack.calls("chat.update").get(slack.calls("chat.update").size() - 1);
    assertEquals(ts, body(last).get("ts").getAsString());
    assertTrue(blocks(last).toString().contains("approved by alice"), blocks(last).toString());
    assertTrue(buttons(last).isEmpty(), "the buttons are gone once approved");
    assertNull(done.notificationError());
  }

  @Test
  void forgedStaleReplayedOrTamperedRequestsGet401AndChangeNothing() throws Exception {
    ReleaseWorkflow release = start(Specs.spec("shop"));
    String id = EngineNames.releaseId("shop", SHA);
    await(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    String approve = click("U01ALICE", ReleaseMessage.APPROVE, id);
    long now = System.currentTimeMillis() / 1000;

    assertEquals(
        401,
        post(
            approve,
            now,
            new SlackSignature.Generator("wrong-secret").generate(String.valueOf(now), approve)));
    long old = now - 6 * 60;
    assertEquals(
        401,
        post(
            approve,
            old,
            new SlackSignature.Generator(SECRET).generate(String.valueOf(old), approve)),
        "a correctly signed request older than five minutes");
    long ahead = now + 2 * 60;
    assertEquals(
        401,
        post(
            approve,
            ahead,
            new SlackSignature.Generator(SECRET).generate(String.valueOf(ahead), approve)),
        "a correctly signed request dated two minutes ahead");
    String signedForBob = click("U02BOB", ReleaseMessage.REJECT, id);
    String signature =
        new SlackSignature.Generator(SECRET).generate(String.valueOf(now), signedForBob);
    assertEquals(
        401,
        post(signedForBob.replace("U02BOB", "U01ALICE"), now, signature),
        "body changed after signing");
    String unknownUser = click("U07NOBODY", ReleaseMessage.APPROVE, id);
    String unknownSignature =
        new SlackSignature.Generator(SECRET).generate(String.valueOf(now), unknownUser);
    assertEquals(200, post(unknownUser, now, unknownSignature));
    assertEquals(
        "your Slack user U07NOBODY is not mapped to an approver; nothing was sent", lastResponse());
    assertEquals(
        401, post(unknownUser, now, unknownSignature), "the same request again is a replay");

    Thread.sleep(500);
    ReleaseStatus status = release.status();
    assertEquals(ReleaseState.AWAITING_APPROVAL, status.state());
    assertTrue(
        status.decisions().isEmpty() && status.refusedSignals().isEmpty(),
        "no signal reached it: " + status);
  }

  @Test
  void aMappedUserWhoIsNotAnApproverIsToldWhyAndTheReleaseWaits() throws Exception {
    ReleaseWorkflow release = start(Specs.spec("shop"));
    String id = EngineNames.releaseId("shop", SHA);
    await(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    assertEquals(200, signedPost(click("U09MALLORY", ReleaseMessage.APPROVE, id)));
    assertEquals(
        "cannot approve "
            + id
            + ": mallory is not an allowed approver (allowed: alice, bob, carol)",
        lastResponse());
    assertEquals(ReleaseState.AWAITING_APPROVAL, release.status().state());
  }

  @Test
  void quorumOfTwoCountsEachPersonOnce() throws Exception {
    ReleaseWorkflow release =
        start(
            Specs.spec(
                "shop",
                new ApprovalPolicy(
                    List.of("alice", "bob", "carol"), 2, false, Duration.ofHours(1))));
    String id = EngineNames.releaseId("shop", SHA);
    await(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    assertEquals(200, signedPost(click("U01ALICE", ReleaseMessage.APPROVE, id)));
    assertEquals(
        "approved " + id + " as alice (1 of 2 required); waiting for 1 more", lastResponse());
    slack.calls.removeIf(c -> c.method().equals("response"));
    assertEquals(200, signedPost(click("U01ALICE", ReleaseMessage.APPROVE, id)));
    assertEquals(
        "cannot approve " + id + ": alice has already approved this release", lastResponse());
    assertEquals(ReleaseState.AWAITING_APPROVAL, release.status().state());

    assertEquals(200, signedPost(click("U02BOB", ReleaseMessage.APPROVE, id)));
    ReleaseStatus done = WorkflowStub.fromTyped(release).getResult(ReleaseStatus.class);
    assertEquals(List.of("alice", "bob"), done.approvers());

    slack.calls.removeIf(c -> c.method().equals("response"));
    assertEquals(200, signedPost(click("U02BOB", ReleaseMessage.APPROVE, id)));
    assertEquals(
        id + " is not awaiting approval (state SUCCEEDED, stage verify)",
        lastResponse(),
        "a click on a release that no longer waits changes nothing");
  }

  @Test
  void slackRejectingOrNotAnsweringNeverHoldsAReleaseUp() throws Exception {
    slack.mode = SlackStub.Mode.ERROR;
    ReleaseWorkflow rejected = start(Specs.spec("shop"));
    await(rejected, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    rejected.approve(new org.releaseengine.model.Approval("bob", null));
    ReleaseStatus done = WorkflowStub.fromTyped(rejected).getResult(ReleaseStatus.class);
    assertEquals(ReleaseState.SUCCEEDED, done.state());
    assertEquals(
        "notification failed: Slack chat.postMessage failed: invalid_auth",
        done.notificationError());

    slack.mode = SlackStub.Mode.SILENT;
    ReleaseWorkflow silent = start(Specs.spec("other"));
    await(silent, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    silent.approve(new org.releaseengine.model.Approval("bob", null));
    ReleaseStatus quiet = WorkflowStub.fromTyped(silent).getResult(ReleaseStatus.class);
    assertEquals(ReleaseState.SUCCEEDED, quiet.state());
    assertTrue(
        quiet.notificationError() != null
            && quiet.notificationError().startsWith("notification failed: "),
        String.valueOf(quiet.notificationError()));
    assertFalse(slack.calls("chat.postMessage").isEmpty());
  }
}
