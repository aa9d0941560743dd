package org.releaseengine.release;

import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.Supplier;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.NotifyActivities;
import org.releaseengine.stage.NotifyActivities.Notice;
import org.releaseengine.stage.StageOptions;

/**
 * Keeps the release's message up to date without ever holding the release up: at most one notice is
 * in flight; changes made meanwhile are sent together, as the latest status, when it returns. A
 * failure to notify is recorded (shown in the status) and never fails the release.
 */
final class Announcer {

  private final NotifyActivities notifier =
      Workflow.newActivityStub(NotifyActivities.class, StageOptions.notification());
  private final Supplier<ReleaseStatus> status;
  private String channel;
  private String messageRef = "";
  private String pendingThreadReply;
  private boolean inFlight;
  private boolean dirty;
  private String lastError;

  /** The notifier answered that it has nowhere to send (no Slack on this worker): stop asking. */
  private boolean disabled;

  Announcer(Supplier<ReleaseStatus> status) {
    this.status = status;
  }

  void configure(String channel) {
    this.channel = channel;
  }

  /** Something a person would want to see changed. */
  void changed() {
    if (disabled) {
      return;
    }
    if (inFlight) {
      dirty = true;
      return;
    }
    send();
  }

  /** Adds a reply under the message (once), with the next notice. */
  void replyInThread(String text) {
    pendingThreadReply = text;
    changed();
  }

  /** Gives the last notices a little time to go out before the workflow ends. */
  void flush(Duration patience) {
    Workflow.await(patience, () -> !inFlight && !dirty);
  }

  String lastError() {
    return lastError;
  }

  private void send() {
    inFlight = true;
    dirty = false;
    String reply = pendingThreadReply;
    pendingThreadReply = null;
    Promise<String> sent =
        Async.function(
            notifier::publish,
            new Notice(messageRef, channel, status.get().withoutMeasurements(), reply));
    sent.handle(
        (ref, failure) -> {
          inFlight = false;
          if (failure == null) {
            messageRef = ref == null ? "" : ref;
            disabled = messageRef.isEmpty();
            dirty &= !disabled;
            lastError = null;
          } else {
            lastError = "notification failed: " + Failures.describe(failure);
          }
          if (dirty && !disabled) {
            send();
          }
          return null;
        });
  }
}
