package org.releaseengine.environment;

/**
 * How much an environment's record holds before it gives way: the history length past which an idle
 * environment continues as new; how many audit entries it keeps (the older are archived on the
 * worker first) and how many more may wait while the archive fails (past them the oldest are
 * dropped unarchived, and counted); and how many operations it keeps, refused ones included (the
 * oldest finished go first, counted). Tests and the replay of histories recorded with lower limits
 * pass their own; the worker runs with {@link #DEFAULT}.
 */
public record RecordLimits(int historyEvents, int auditEntries, int auditBacklog, int operations) {

  public static final RecordLimits DEFAULT = new RecordLimits(4000, 50, 50, 100);

  public RecordLimits withHistoryEvents(int events) {
    return new RecordLimits(events, auditEntries, auditBacklog, operations);
  }

  public RecordLimits withAuditEntries(int entries) {
    return new RecordLimits(historyEvents, entries, auditBacklog, operations);
  }

  public RecordLimits withAuditBacklog(int waiting) {
    return new RecordLimits(historyEvents, auditEntries, waiting, operations);
  }

  public RecordLimits withOperations(int kept) {
    return new RecordLimits(historyEvents, auditEntries, auditBacklog, kept);
  }
}
