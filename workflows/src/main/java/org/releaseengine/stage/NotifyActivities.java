package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.ReleaseStatus;

/** Tells people where a release is: one message per release, updated in place. Best effort. */
@ActivityInterface
public interface NotifyActivities {

  /**
   * {@code messageRef} is empty for the first notice (the message is posted) and afterwards what
   * the previous call returned (the message is updated). {@code threadReply}, when set, is added
   * below the message once (a failure's reason and log tail).
   */
  record Notice(String messageRef, String channel, ReleaseStatus status, String threadReply) {}

  /**
   * Returns the reference of the release's message, for the next notice; an empty reference means
   * this worker sends no notifications, and the release stops sending notices.
   */
  String publish(Notice notice);
}
