package org.releaseengine.slack;

import com.slack.api.Slack;
import com.slack.api.SlackConfig;
import com.slack.api.methods.MethodsClient;
import com.slack.api.methods.SlackApiException;
import com.slack.api.methods.SlackApiTextResponse;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import org.releaseengine.stage.NotifyActivities;

/**
 * Posts each release's message to Slack and updates it in place (chat.postMessage, then chat.update
 * on its ts); a failure's reason goes in a thread reply. Without a bot token it does nothing. The
 * token and the default channel are the worker's; a service may name its own channel. Every text it
 * sends is mrkdwn (Slack's default for a message's text), built or escaped by {@link Mrkdwn}.
 */
public class SlackNotifier implements NotifyActivities {

  private final MethodsClient slack;
  private final String defaultChannel;

  /**
   * {@code apiUrl} is Slack's methods endpoint prefix, e.g. https://slack.com/api/ (or a local
   * stub's).
   */
  public SlackNotifier(String token, String defaultChannel, String apiUrl) {
    if (token == null || token.isBlank()) {
      this.slack = null;
    } else {
      SlackConfig config = new SlackConfig();
      config.setMethodsEndpointUrlPrefix(apiUrl);
      config.setStatsEnabled(false);
      this.slack = Slack.getInstance(config).methods(token);
    }
    this.defaultChannel = defaultChannel;
  }

  @Override
  public String publish(Notice notice) {
    if (slack == null) {
      return "";
    }
    String channel = notice.channel() != null ? notice.channel() : defaultChannel;
    String text = ReleaseMessage.text(notice.status());
    try {
      String ref = notice.messageRef();
      if (ref == null || ref.isEmpty()) {
        var posted =
            check(
                "chat.postMessage",
                slack.chatPostMessage(
                    r ->
                        r.channel(channel)
                            .text(text)
                            .blocks(ReleaseMessage.blocks(notice.status()))));
        ref = posted.getChannel() + "|" + posted.getTs();
      } else {
        String[] parts = ref.split("\\|", 2);
        check(
            "chat.update",
            slack.chatUpdate(
                r ->
                    r.channel(parts[0])
                        .ts(parts[1])
                        .text(text)
                        .blocks(ReleaseMessage.blocks(notice.status()))));
      }
      if (notice.threadReply() != null) {
        String[] parts = ref.split("\\|", 2);
        check(
            "chat.postMessage",
            slack.chatPostMessage(
                r ->
                    r.channel(parts[0])
                        .threadTs(parts[1])
                        .text(Mrkdwn.escape(notice.threadReply()))));
      }
      return ref;
    } catch (IOException | SlackApiException e) {
      throw ApplicationFailure.newFailure(
          "Slack did not answer: " + e.getMessage(), "SlackUnavailable");
    }
  }

  private static <T extends SlackApiTextResponse> T check(String method, T response) {
    if (!response.isOk()) {
      throw ApplicationFailure.newNonRetryableFailure(
          "Slack " + method + " failed: " + response.getError(), "SlackRejected");
    }
    return response;
  }
}
