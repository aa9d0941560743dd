package org.releaseengine.environment;

import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.releaseengine.WorkflowChanges;
import org.releaseengine.environment.EnvironmentView.ShaRecord;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.stage.Failures;
import org.releaseengine.stage.StageOptions;
import org.slf4j.Logger;

/**
 * What the environment knows and keeps, bounded: each sha's deployment, which sha and slot are live
 * and which is warm, the operations with their notes, what each host served when last read, the
 * audit trail (archived on the worker before it gives way), how many of the oldest records are
 * gone, and when the workflow should continue as new. Everything here is carried across
 * continue-as-new.
 */
final class EnvironmentRecord {

  static final Duration DEFAULT_ROLLBACK_WINDOW = EnvironmentSpec.DEFAULT_ROLLBACK_WINDOW;
  private static final int KEEP_DEPLOYMENTS = 50;
  private static final int KEEP_HOSTS = 50;
  private static final int KEEP_NOTES = 20;

  /**
   * Request ids of signed rollbacks kept as used. Only a signature that verified adds one, so only
   * the people allowed to roll back fill it; a signature is good for the policy's decision max age
   * (ten minutes by default), far less time than this many signed rollbacks take.
   */
  static final int KEEP_USED_REQUEST_IDS = 500;

  private static final Logger log = Workflow.getLogger(EnvironmentRecord.class);

  private final AuditActivities auditLog =
      Workflow.newActivityStub(AuditActivities.class, StageOptions.quick());
  private final RecordLimits limits;

  private String service;
  private String environment;
  private EnvironmentSpec spec;
  private Map<String, Deployment> deployments = new LinkedHashMap<>();
  private String liveSha;
  private Slot liveSlot;
  private WarmSlot warm;
  private List<Operation> operations = new ArrayList<>();

  /**
   * Request ids of the signed rollbacks whose signature verified, oldest first (the newest {@link
   * #KEEP_USED_REQUEST_IDS}): whatever pushes their operations out, each is refused if sent again.
   */
  private LinkedHashSet<String> usedRequestIds = new LinkedHashSet<>();

  /**
   * Operations an update handler waits for, with the finished one once it is no longer kept: the
   * handler answers with it all the same (this run only; handlers end before continue-as-new).
   */
  private final Map<String, Operation> awaited = new HashMap<>();

  /** What each host served when last read or changed; "unknown …" while it cannot be told. */
  private Map<String, String> hosts = new LinkedHashMap<>();

  /**
   * Notes of the running operation: hosts that disagreed with the record, a long drain. The first
   * {@link #KEEP_NOTES}; {@link #notesLeftOut} counts the rest.
   */
  private final List<String> notes = new ArrayList<>();

  private int notesLeftOut;

  /** How many of the oldest deployments, operations and hosts are no longer kept. */
  private Forgotten forgotten = Forgotten.NONE;

  /** The audit trail, oldest first: one entry per finished deploy or rollback. */
  private List<AuditEntry> audit = new ArrayList<>();

  /** What the running operation's audit entry says beyond the operation: image, release, audit. */
  private ImageRef auditImage;

  private DeployOrder auditOrder;

  /**
   * This run's audit entries not archived yet, as the archive keeps them (with what they left
   * live), oldest first: each is archived as it ends and, while the archive fails, after the next
   * (unless dropped past the backlog meanwhile).
   */
  private final List<AuditEntry> toArchive = new ArrayList<>();

  /** Ids of the audit entries this run archived: dropping them needs no second archiving. */
  private final Set<String> archivedIds = new HashSet<>();

  EnvironmentRecord(RecordLimits limits) {
    this.limits = limits;
  }

  void load(EnvironmentState state) {
    service = state.service();
    environment = state.environment();
    spec = state.spec();
    deployments = new LinkedHashMap<>(state.deployments() == null ? Map.of() : state.deployments());
    liveSha = state.liveSha();
    liveSlot = state.liveSlot();
    warm = state.warm();
    operations = new ArrayList<>(state.operations() == null ? List.of() : state.operations());
    hosts = new LinkedHashMap<>(state.hosts() == null ? Map.of() : state.hosts());
    forgotten = state.forgotten() == null ? Forgotten.NONE : state.forgotten();
    audit = new ArrayList<>(state.audit() == null ? List.of() : state.audit());
    usedRequestIds =
        new LinkedHashSet<>(state.usedRequestIds() == null ? List.of() : state.usedRequestIds());
  }

  /**
   * Whether the record knows nothing: no spec, sha, operation or audit entry (a run that started
   * empty, not one carrying a record).
   */
  boolean blank() {
    return spec == null
        && liveSha == null
        && deployments.isEmpty()
        && operations.isEmpty()
        && audit.isEmpty();
  }

  /**
   * The record an environment that started empty read back ({@link RecordRebuild}): the spec and
   * deployments of its archive, the live sha and slot (null: not known), the archived operations,
   * how many older archived entries it did not read back, and the operation that says so, after
   * them (and before any refusal recorded while it read back).
   */
  void rebuilt(
      EnvironmentSpec archivedSpec,
      Map<String, Deployment> archivedDeployments,
      String live,
      Slot slot,
      List<Operation> archivedOperations,
      int notReadBack,
      Operation rebuild) {
    spec = archivedSpec;
    deployments = new LinkedHashMap<>(archivedDeployments);
    int dropped = 0;
    while (deployments.size() > KEEP_DEPLOYMENTS) { // the oldest to go live first
      deployments.remove(deployments.keySet().iterator().next());
      dropped++;
    }
    liveSha = live != null && deployments.containsKey(live) ? live : null;
    liveSlot = liveSha == null ? null : slot;
    List<Operation> meanwhile = operations; // refusals recorded while it read back
    operations = new ArrayList<>(archivedOperations);
    while (!operations.isEmpty()
        && operations.size() + 1 + meanwhile.size() > limits.operations()) {
      operations.remove(0);
      notReadBack++;
    }
    operations.add(rebuild);
    operations.addAll(meanwhile);
    forgotten = new Forgotten(dropped, notReadBack, 0);
  }

  /** Everything to carry into the next run, with the queue's waiting work. */
  EnvironmentState snapshot(RequestQueue queue) {
    return new EnvironmentState(
        service,
        environment,
        spec,
        deployments,
        liveSha,
        liveSlot,
        warm,
        operations,
        queue.waitingDeploys(),
        queue.waitingRollbacks(),
        queue.tombstones(),
        queue.lease(),
        hosts.isEmpty() ? null : hosts,
        forgotten,
        audit.isEmpty() ? null : audit,
        usedRequestIds.isEmpty() ? null : new ArrayList<>(usedRequestIds));
  }

  /** Whether an idle environment should continue as new now. */
  boolean full() {
    return Workflow.getInfo().isContinueAsNewSuggested()
        || Workflow.getInfo().getHistoryLength() > limits.historyEvents();
  }

  String service() {
    return service;
  }

  String environment() {
    return environment;
  }

  EnvironmentSpec spec() {
    return spec;
  }

  /** The spec of the deploy about to run becomes the environment's. */
  void use(EnvironmentSpec deploying) {
    spec = deploying;
  }

  String liveSha() {
    return liveSha;
  }

  Slot liveSlot() {
    return liveSlot;
  }

  WarmSlot warm() {
    return warm;
  }

  void forgetWarm() {
    warm = null;
  }

  /** When the release of the live deployment was admitted, or null when not known. */
  Long liveAdmittedAtMs() {
    Deployment live = liveSha == null ? null : deployments.get(liveSha);
    return live == null ? null : live.admittedAtMs();
  }

  Deployment deployment(String sha) {
    return deployments.get(sha);
  }

  Set<String> deployedShas() {
    return deployments.keySet();
  }

  Forgotten forgotten() {
    return forgotten;
  }

  /** The slot a deploy starts: the one that is not live. */
  Slot idleSlot() {
    return liveSlot == null ? Slot.BLUE : liveSlot.other();
  }

  boolean seen(String id) {
    return operations.stream().anyMatch(o -> o.id().equals(id));
  }

  /** Keeps {@code id}, a signed rollback's whose signature verified, as used. */
  void used(String id) {
    usedRequestIds.remove(id);
    usedRequestIds.add(id);
    while (usedRequestIds.size() > KEEP_USED_REQUEST_IDS) {
      usedRequestIds.remove(usedRequestIds.iterator().next());
    }
  }

  /** Whether {@code id} is a signed rollback's whose signature verified (kept apart). */
  boolean usedBySignedRollback(String id) {
    return usedRequestIds.contains(id);
  }

  /** An update handler will wait for operation {@code id}: see {@link #answer}. */
  void await(String id) {
    awaited.put(id, null);
  }

  /**
   * The finished operation {@code id} a handler waits for, kept or not, or null while there is
   * none.
   */
  Operation answer(String id) {
    Operation kept = finished(id);
    return kept != null ? kept : awaited.get(id);
  }

  /** The answer for {@code id}, no longer waited for. */
  Operation takeAnswer(String id) {
    Operation answer = answer(id);
    awaited.remove(id);
    return answer;
  }

  /** The finished operation {@code id}, or null while there is none. */
  Operation finished(String id) {
    return operations.stream()
        .filter(o -> o.id().equals(id) && o.finished())
        .findFirst()
        .orElse(null);
  }

  /** Whether operation {@code id} is the last one that changed what is live. */
  boolean nothingLiveSince(String id) {
    boolean after = false;
    for (Operation op : operations) {
      if (after && op.state() == Operation.State.SUCCEEDED && op.kind() != Operation.Kind.REBUILD) {
        return false; // a deploy or rollback went live since
      }
      after |= op.id().equals(id);
    }
    return after;
  }

  Operation begin(String id, Operation.Kind kind, String sha, String requester) {
    notes.clear();
    notesLeftOut = 0;
    auditImage = null;
    auditOrder = null;
    Operation op =
        new Operation(
            id,
            kind,
            sha,
            requester,
            Operation.State.RUNNING,
            null,
            Workflow.currentTimeMillis(),
            0);
    operations.add(op);
    if (operations.size() > limits.operations()) {
      if (WorkflowChanges.applies(WorkflowChanges.BOUNDED_GROWTH)) {
        trimOperations();
      } else {
        operations.remove(0);
        forgotten = forgotten.plusOperations(1);
      }
    }
    return op;
  }

  /**
   * Drops operations until no more than the limit's are kept, counting them: refused ones first,
   * the oldest first, and only then the oldest finished others; never the newest (the one just
   * begun or refused), nor the running one. Refusals cost nothing to send, so they never push out
   * what the environment relies on its record for (the deploy a release's automatic rollback
   * undoes, what went live since) while older refusals are left to drop.
   */
  private void trimOperations() {
    while (operations.size() > limits.operations()) {
      int drop = oldest(o -> o.state() == Operation.State.REFUSED);
      if (drop < 0) {
        drop = oldest(Operation::finished);
      }
      if (drop < 0) {
        return; // nothing finished to drop
      }
      Operation dropped = operations.remove(drop);
      forgotten = forgotten.plusOperations(1);
      if (awaited.containsKey(dropped.id())) {
        awaited.put(dropped.id(), dropped);
      }
    }
  }

  /** Where the oldest operation but the newest that {@code which} takes is, or -1. */
  private int oldest(java.util.function.Predicate<Operation> which) {
    for (int i = 0; i < operations.size() - 1; i++) {
      if (which.test(operations.get(i))) {
        return i;
      }
    }
    return -1;
  }

  /** What the running operation's audit entry names beyond itself: its image and its order. */
  void auditing(ImageRef image, DeployOrder order) {
    auditImage = image;
    auditOrder = order;
  }

  /**
   * Finishes the running operation {@code op}: its outcome, reason and notes. Null when it is not
   * running (already finished), so that no operation is finished twice.
   */
  Operation finish(Operation op, Operation.State outcome, String why) {
    int at = runningOperation(op.id());
    if (at < 0) {
      log.warn("operation {} was already finished; not finishing it again", op.id());
      return null;
    }
    Operation done =
        new Operation(
            op.id(),
            op.kind(),
            op.sha(),
            op.requester(),
            outcome,
            why,
            op.startedAtMs(),
            Workflow.currentTimeMillis(),
            notes());
    operations.set(at, done);
    return done;
  }

  /** {@code done} with {@code note} added, in the record too. */
  Operation addNote(Operation done, String note) {
    Operation noted = done.withNote(note);
    int at = operations.lastIndexOf(done);
    if (at >= 0) {
      operations.set(at, noted);
    }
    return noted;
  }

  /** Where the unfinished operation {@code id} is, or -1. */
  private int runningOperation(String id) {
    for (int i = operations.size() - 1; i >= 0; i--) {
      if (operations.get(i).id().equals(id) && !operations.get(i).finished()) {
        return i;
      }
    }
    return -1;
  }

  /** Records a refused request as a finished operation of its own and returns it. */
  Operation refusal(String id, String sha, String requester, String why) {
    long now = Workflow.currentTimeMillis();
    Operation refused =
        new Operation(
            id, Operation.Kind.ROLLBACK, sha, requester, Operation.State.REFUSED, why, now, now);
    operations.add(refused);
    if (operations.size() > limits.operations()
        && WorkflowChanges.applies(WorkflowChanges.BOUNDED_GROWTH)) {
      trimOperations();
    }
    return refused;
  }

  void goLive(Slot slot, ImageRef image, String requester, Operation.Kind via, ConfigPrint config) {
    Deployment before = deployments.get(image.sha());
    goLive(slot, image, requester, via, config, before == null ? null : before.admittedAtMs());
  }

  /** {@code admittedAtMs}: when the release that deploys it was admitted (null: not known). */
  void goLive(
      Slot slot,
      ImageRef image,
      String requester,
      Operation.Kind via,
      ConfigPrint config,
      Long admittedAtMs) {
    long now = Workflow.currentTimeMillis();
    if (liveSlot != null && liveSlot != slot) {
      Duration window =
          spec.rollbackWindow() == null ? DEFAULT_ROLLBACK_WINDOW : spec.rollbackWindow();
      warm = new WarmSlot(liveSlot, deployments.get(liveSha).image(), now + window.toMillis());
    }
    liveSlot = slot;
    liveSha = image.sha();
    deployments.remove(image.sha());
    deployments.put(image.sha(), new Deployment(image, now, requester, via, config, admittedAtMs));
    if (deployments.size() > KEEP_DEPLOYMENTS
        && WorkflowChanges.applies(WorkflowChanges.BOUNDED_RECORDS)) {
      // the oldest to go live first; the live sha went live last
      while (deployments.size() > KEEP_DEPLOYMENTS) {
        deployments.remove(deployments.keySet().iterator().next());
        forgotten = forgotten.plusDeployments(1);
      }
    }
  }

  /**
   * Records what a host serves, newest last; beyond KEEP_HOSTS the oldest host that is no longer in
   * the spec gives way (and is counted).
   */
  void observe(String host, String serves) {
    hosts.remove(host);
    hosts.put(host, serves);
    Set<String> inSpec = new HashSet<>();
    if (spec != null && spec.hosts() != null) {
      spec.hosts().forEach(h -> inSpec.add(h.name()));
    }
    List<String> oldest = new ArrayList<>(hosts.keySet());
    for (int i = 0; hosts.size() > KEEP_HOSTS && i < oldest.size(); i++) {
      if (!inSpec.contains(oldest.get(i))) {
        hosts.remove(oldest.get(i));
        forgotten = forgotten.plusHosts(1);
      }
    }
  }

  /** Adds a note to the running operation: the first KEEP_NOTES are kept, the rest counted. */
  void note(String note) {
    if (notes.size() < KEEP_NOTES) {
      notes.add(note);
    } else {
      notesLeftOut++;
    }
  }

  /** The running operation's notes, with how many more there were; null when none. */
  List<String> notes() {
    if (notes.isEmpty()) {
      return null;
    }
    List<String> all = new ArrayList<>(notes);
    if (notesLeftOut > 0) {
      all.add("… and " + notesLeftOut + " more notes");
    }
    return List.copyOf(all);
  }

  /**
   * Adds the finished operation to the audit trail and archives it on the worker as it ends (behind
   * AUDIT_WRITE_THROUGH). Beyond the limit's entries the oldest go, each archived on the worker
   * first (while archiving fails it stays, and is tried again after the next operation; past the
   * limit's backlog, behind BOUNDED_GROWTH, the oldest waiting are dropped unarchived, and
   * counted).
   */
  void keepInAudit(Operation done, String replyTo) {
    DeployOrder order = auditOrder;
    ReleaseAudit told = order == null ? null : order.audit();
    audit.add(
        new AuditEntry(
            done.id(),
            service,
            environment,
            done.kind(),
            auditImage == null ? done.sha() : auditImage.sha(),
            auditImage == null ? null : auditImage.digest(),
            done.requester(),
            order == null ? replyTo : order.releaseWorkflowId(),
            told == null ? null : told.decisions(),
            told == null ? null : told.stages(),
            done.state(),
            done.reason(),
            done.startedAtMs(),
            done.endedAtMs()));
    auditImage = null;
    auditOrder = null;
    if (WorkflowChanges.applies(WorkflowChanges.AUDIT_WRITE_THROUGH)) {
      toArchive.add(audit.get(audit.size() - 1).withLiveAfter(liveAfter(done)));
      while (!toArchive.isEmpty() && archived(toArchive.get(0))) {
        toArchive.remove(0);
      }
    }
    if (audit.size() <= limits.auditEntries()) {
      return;
    }
    boolean archive = WorkflowChanges.applies(WorkflowChanges.AUDIT_ARCHIVE);
    while (audit.size() > limits.auditEntries()) {
      AuditEntry oldest = audit.get(0);
      if (archive && !archivedIds.contains(oldest.id())) {
        AuditEntry kept =
            toArchive.stream().filter(e -> e.id().equals(oldest.id())).findFirst().orElse(oldest);
        if (!archived(kept)) {
          dropPastBacklog();
          return;
        }
        toArchive.remove(kept);
      }
      audit.remove(0);
    }
  }

  /**
   * While the archive fails, the entries waiting for it are bounded: past the limit's backlog the
   * oldest are dropped without being archived, counted in {@link Forgotten#unarchivedAudit()}, and
   * logged whole by the worker (the one place they are left).
   */
  private void dropPastBacklog() {
    int most = limits.auditEntries() + limits.auditBacklog();
    if (audit.size() <= most || !WorkflowChanges.applies(WorkflowChanges.BOUNDED_GROWTH)) {
      return;
    }
    while (audit.size() > most) {
      AuditEntry dropped = audit.remove(0);
      toArchive.removeIf(e -> e.id().equals(dropped.id()));
      if (archivedIds.contains(dropped.id())) {
        continue; // archived as it ended (write-through), behind one that was not
      }
      forgotten = forgotten.plusUnarchivedAudit(1);
      log.error(
          "audit entry {} dropped unarchived, the archive failing ({} dropped so far): {}",
          dropped.id(),
          forgotten.unarchivedAudit(),
          dropped);
    }
  }

  /** Archives {@code entry} on the worker; false (logged) when that failed. */
  private boolean archived(AuditEntry entry) {
    try {
      auditLog.archive(entry);
    } catch (TemporalFailure failure) {
      log.error("could not archive audit entry {}: {}", entry.id(), Failures.describe(failure));
      return false;
    }
    archivedIds.add(entry.id());
    return true;
  }

  /** What the finished operation {@code done} left live, when it succeeded; else null. */
  private AuditEntry.LiveAfter liveAfter(Operation done) {
    Deployment live = liveSha == null ? null : deployments.get(liveSha);
    if (done.state() != Operation.State.SUCCEEDED || live == null) {
      return null;
    }
    return new AuditEntry.LiveAfter(live, liveSlot, spec);
  }

  EnvironmentView view() {
    List<ShaRecord> records =
        deployments.entrySet().stream()
            .sorted(
                Comparator.comparingLong(
                        (Map.Entry<String, Deployment> e) -> e.getValue().deployedAtMs())
                    .reversed())
            .map(
                e ->
                    new ShaRecord(
                        e.getKey(),
                        e.getValue().image().digest(),
                        e.getValue().deployedAtMs(),
                        e.getValue().requestedBy(),
                        e.getValue().via(),
                        e.getValue().config() == null ? null : e.getValue().config().fingerprint(),
                        e.getValue().image().commitTimeMs()))
            .toList();
    return new EnvironmentView(
        service,
        environment,
        records,
        liveSha,
        liveSlot,
        warm,
        List.copyOf(operations),
        hosts.isEmpty() ? null : Map.copyOf(hosts),
        forgotten,
        spec == null
            ? null
            : (spec.rollbackWindow() == null ? DEFAULT_ROLLBACK_WINDOW : spec.rollbackWindow())
                .toMillis(),
        List.copyOf(audit));
  }
}
