package org.releaseengine;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.releaseengine.stage.NotifyActivities;

/** Records the notices a release sends, as if one message were posted and then updated. */
public class StandInNotifier implements NotifyActivities {

  public final List<Notice> notices = new CopyOnWriteArrayList<>();

  /** Answer as a worker without Slack does. */
  public volatile boolean disabled;

  @Override
  public String publish(Notice notice) {
    notices.add(notice);
    return disabled ? "" : "C1|1700000000.000100";
  }
}
