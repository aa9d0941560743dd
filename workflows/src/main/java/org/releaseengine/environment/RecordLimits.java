package org.releaseengine.environment;

/**
 * How much an environment's record holds before it gives way: the history length past which an idle
 * environment continues as new, and how many audit entries it keeps (the older are archived on the
 * worker first). Tests and the replay of histories recorded with lower limits pass their own; the
 * worker runs with {@link #DEFAULT}.
 */
public record RecordLimits(int historyEvents, int auditEntries) {

  public static final RecordLimits DEFAULT = new RecordLimits(4000, 50);

  public RecordLimits withHistoryEvents(int events) {
    return new RecordLimits(events, auditEntries);
  }

  public RecordLimits withAuditEntries(int entries) {
    return new RecordLimits(historyEvents, entries);
  }
}
