package org.releaseengine.worker;

import com.google.gson.Gson;
import com.slack.api.Slack;
import com.slack.api.app_backend.SlackSignature;
import com.slack.api.app_backend.interactive_components.payload.BlockActionPayload;
import com.slack.api.util.json.GsonFactory;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.temporal.client.WorkflowClient;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.releaseengine.EngineNames;
import org.releaseengine.client.ApprovalLines;
import org.releaseengine.model.DecisionOutcome;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.model.SlackClick;
import org.releaseengine.release.ReleaseWorkflow;
import org.releaseengine.slack.Mrkdwn;
import org.releaseengine.slack.ReleaseMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Slack's interactivity endpoint ({@code POST /slack/interactions}): the Approve and Reject buttons
 * of a release's message. A request must carry a valid signature over its body and a timestamp
 * within the last five minutes (at most one ahead), and must not repeat one already seen; otherwise
 * it gets 401 and nothing is sent. The Slack user is mapped to an approver identity from the
 * worker's configuration; the decision then goes through the same checks as release-cli. Slack is
 * answered at once (its 3-second limit) and told the outcome through the payload's response_url.
 */
public final class SlackInteractions implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(SlackInteractions.class);
  private static final int MAX_BODY = 64 * 1024;

  private final HttpServer server;
  private final SlackSignature.Generator signatures;
  private final ReplayGuard replays = new ReplayGuard();
  private final Map<String, String> identities;
  private final WorkflowClient client;
  private final String signingSecret;
  private final Slack slack;
  private final ExecutorService decisions = Executors.newFixedThreadPool(4);
  private final Gson gson = GsonFactory.createSnakeCase();

  /** {@code identities}: Slack user id to approver identity. */
  public SlackInteractions(
      InetSocketAddress address,
      String signingSecret,
      Map<String, String> identities,
      WorkflowClient client)
      throws IOException {
    this.signatures = new SlackSignature.Generator(signingSecret);
    this.identities = Map.copyOf(identities);
    this.client = client;
    this.signingSecret = signingSecret;
    this.slack = Slack.getInstance();
    this.server = HttpServer.create(address, 64);
    server.createContext("/slack/interactions", this::handle);
    server.setExecutor(Executors.newFixedThreadPool(4));
    server.start();
  }

  /** How old a request's timestamp may be (Slack's own rule). */
  static final long MAX_AGE_MS = 5 * 60_000;

  /** How far ahead of this machine's clock a request's timestamp may be. */
  static final long MAX_AHEAD_MS = 60_000;

  /**
   * Whether Slack signed {@code body} at {@code timestamp} (seconds) and that time is recent. The
   * SDK's verifier compares signatures with String.equals, which leaks by timing how much of a
   * forgery is right, accepts timestamps five minutes ahead, and logs the body at debug level.
   */
  boolean authentic(String timestamp, String body, String signature, long nowMs) {
    long sentMs;
    try {
      sentMs = Long.parseLong(timestamp) * 1000;
    } catch (NumberFormatException e) {
      return false;
    }
    if (sentMs < nowMs - MAX_AGE_MS || sentMs > nowMs + MAX_AHEAD_MS) {
      return false;
    }
    return java.security.MessageDigest.isEqual(
        signatures.generate(timestamp, body).getBytes(java.nio.charset.StandardCharsets.US_ASCII),
        signature.getBytes(java.nio.charset.StandardCharsets.US_ASCII));
  }

  public int port() {
    return server.getAddress().getPort();
  }

  private void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!"POST".equals(exchange.getRequestMethod())) {
        reply(exchange, 405, "POST only");
        return;
      }
      String body = read(exchange.getRequestBody());
      String timestamp =
          exchange
              .getRequestHeaders()
              .getFirst(SlackSignature.HeaderNames.X_SLACK_REQUEST_TIMESTAMP);
      String signature =
          exchange.getRequestHeaders().getFirst(SlackSignature.HeaderNames.X_SLACK_SIGNATURE);
      if (body == null
          || timestamp == null
          || signature == null
          || !authentic(timestamp, body, signature, System.currentTimeMillis())) {
        reply(exchange, 401, "invalid signature or stale timestamp");
        return;
      }
      if (!replays.firstTime(signature, System.currentTimeMillis())) {
        reply(exchange, 401, "replayed request");
        return;
      }
      BlockActionPayload payload = payload(body);
      if (payload == null || payload.getActions() == null || payload.getActions().isEmpty()) {
        reply(exchange, 400, "not a block_actions payload");
        return;
      }
      reply(exchange, 200, "");
      decisions.submit(() -> decide(payload));
    }
  }

  private void decide(BlockActionPayload payload) {
    var action = payload.getActions().get(0);
    String userId = payload.getUser() == null ? null : payload.getUser().getId();
    String releaseId = action.getValue();
    String message;
    try {
      String who = identities.get(userId);
      boolean approve = ReleaseMessage.APPROVE.equals(action.getActionId());
      if (!approve && !ReleaseMessage.REJECT.equals(action.getActionId())) {
        message = "unknown action " + action.getActionId();
      } else if (releaseId == null || !EngineNames.RELEASE_ID.matcher(releaseId).matches()) {
        message = "the button does not name a release";
      } else if (who == null) {
        message = "your Slack user " + userId + " is not mapped to an approver; nothing was sent";
      } else {
        message = passOn(releaseId, userId, approve);
      }
    } catch (RuntimeException e) {
      message = "could not reach " + releaseId + ": " + e.getMessage();
    }
    log.info("Slack {} by {} on {}: {}", action.getActionId(), userId, releaseId, message);
    respond(payload.getResponseUrl(), message);
  }

  /**
   * Passes the click on to the release as its decideFromSlack update, MACed with the signing secret
   * so the worker can confirm it came through here; the answer says whether it counted.
   */
  private String passOn(String releaseId, String userId, boolean approve) {
    ReleaseWorkflow release = client.newWorkflowStub(ReleaseWorkflow.class, releaseId);
    ReleaseStatus status = release.status();
    if (status.state() != ReleaseState.AWAITING_APPROVAL) {
      // an ended release takes no update: say so instead of trying
      return releaseId
          + " is not awaiting approval (state "
          + status.state()
          + (status.currentStage() == null ? "" : ", stage " + status.currentStageLabel())
          + ")";
    }
    if (status.image() == null) {
      return releaseId + " has no image to decide on yet";
    }
    String kind = approve ? "approve" : "reject";
    DecisionOutcome outcome =
        release.decideFromSlack(
            SlackClick.signed(
                signingSecret, kind, releaseId, status.image().digest(), userId, Instant.now()));
    if (!outcome.accepted()) {
      return "cannot " + kind + " " + releaseId + ": " + outcome.message();
    }
    return approve
        ? ApprovalLines.approved(releaseId, outcome.by(), release.status())
        : "rejected " + releaseId + " as " + outcome.by();
  }

  private void respond(String responseUrl, String text) {
    if (responseUrl == null) {
      return;
    }
    try {
      slack.send(responseUrl, gson.toJson(answer(text)));
    } catch (IOException e) {
      log.warn("could not answer on response_url: {}", e.getMessage());
    }
  }

  /**
   * The answer to a click, seen by the clicker alone. Its text is mrkdwn (Slack's default) and may
   * carry a refusal's reason or an error's message, so it is escaped: a reason cannot become a link
   * or a mention.
   */
  static Map<String, Object> answer(String text) {
    return Map.of(
        "response_type", "ephemeral", "replace_original", false, "text", Mrkdwn.escape(text));
  }

  private BlockActionPayload payload(String body) {
    for (String pair : body.split("&")) {
      if (pair.startsWith("payload=")) {
        try {
          BlockActionPayload payload =
              gson.fromJson(
                  URLDecoder.decode(pair.substring(8), StandardCharsets.UTF_8),
                  BlockActionPayload.class);
          return payload != null && "block_actions".equals(payload.getType()) ? payload : null;
        } catch (RuntimeException e) {
          return null;
        }
      }
    }
    return null;
  }

  private static String read(InputStream in) throws IOException {
    byte[] bytes = in.readNBytes(MAX_BODY + 1);
    return bytes.length > MAX_BODY ? null : new String(bytes, StandardCharsets.UTF_8);
  }

  private static void reply(HttpExchange exchange, int status, String text) throws IOException {
    byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(bytes);
      }
    }
  }

  @Override
  public void close() {
    server.stop(0);
    decisions.shutdownNow();
  }
}
