package org.releaseengine;

import static org.releaseengine.EngineNames.environmentId;
import static org.releaseengine.EngineNames.releaseId;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.environment.DeployOrder;
import org.releaseengine.environment.EnvironmentState;
import org.releaseengine.environment.EnvironmentWorkflow;
import org.releaseengine.environment.Operation;
import org.releaseengine.environment.RecordLimits;
import org.releaseengine.model.Approval;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.MetricCheck;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.model.ReleaseState;
import org.releaseengine.release.ReleaseWorkflow;

/**
 * Records the histories that {@code ReplayTest} replays. Run it after a deliberate change to a
 * workflow's commands (behind Workflow.getVersion), never to make a failing replay pass: {@code
 * java -cp <test classpath> org.releaseengine.RecordHistories
 * workflows/src/test/resources/histories}
 */
public final class RecordHistories {

  private RecordHistories() {}

  public static void main(String[] args) throws IOException {
    Path dir = Path.of(args[0]);
    if (args.length > 1 && args[1].equals("canary")) {
      recordCanary(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("ground-truth")) {
      recordGroundTruth(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("issue13-more")) {
      recordTombstonesContinueAsNewAndFailedRollback(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("signed-decisions")) {
      recordSignedDecisions(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("operator-policy")) {
      recordOperatorPolicy(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("container-config")) {
      recordContainerConfig(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("audit-archive")) {
      recordAuditArchive(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("environment-list")) {
      recordEnvironmentList(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("review-fixes")) {
      recordReviewFixes(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("never-older")) {
      recordNeverOlder(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("older-by-policy")) {
      recordOlderByPolicy(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("undo-own-deploy")) {
      recordUndoOwnDeploy(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("atomic-request-ids")) {
      recordAtomicRequestIds(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("quiet-measurements")) {
      recordQuietMeasurements(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("abort-before-running")) {
      recordAbortBeforeRunning(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("handlers-finish")) {
      recordHandlersFinish(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("cancelled-release")) {
      recordCancelledRelease(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("suite-stops-first")) {
      recordSuiteStopsFirst(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("whole-promotion")) {
      recordWholePromotion(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("reply-to-gone")) {
      recordReplyToGone(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("bounded-growth")) {
      recordBoundedGrowth(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("environment-list-e2e")) {
      recordEnvironmentListE2e(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("rebuilt-after-restart")) {
      recordRebuiltAfterRestart(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("leases-and-aborts")) {
      recordLeasesAndAborts(dir);
      return;
    }
    if (args.length > 1 && args[1].equals("abort-puts-back")) {
      recordAbortPutsBack(dir);
      return;
    }
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow first = awaitApproval(engine, Specs.SHA_1);
      first.approve(new Approval("mallory", null));
      first.approve(new Approval("bob", "ship it"));
      engine.result(first);
      save(engine, dir, "release-succeeded.json", releaseId("shop", Specs.SHA_1));

      ReleaseWorkflow rejected = awaitApproval(engine, Specs.SHA_2);
      rejected.reject(new Approval("carol", "freeze"));
      engine.result(rejected);
      save(engine, dir, "release-rejected.json", releaseId("shop", Specs.SHA_2));

      ReleaseWorkflow expired = awaitApproval(engine, Specs.SHA_3);
      engine.resultSkippingTime(expired);
      save(engine, dir, "release-expired.json", releaseId("shop", Specs.SHA_3));

      String sha4 = "4444444444444444444444444444444444444444";
      ReleaseWorkflow second = awaitApproval(engine, sha4);
      second.approve(new Approval("alice", null));
      engine.result(second);
      engine.rollback("shop", "production", Specs.SHA_1.substring(0, 7), "erin", "rb-1");
      engine.awaitOperation("shop", "production", "rb-1");
      engine.rollback("shop", "production", "9999999", "erin", "rb-2");
      engine.awaitOperation("shop", "production", "rb-2");
      save(engine, dir, "environment-production.json", environmentId("shop", "production"));

      engine.stages.failing.add("verify");
      String sha5 = "5555555555555555555555555555555555555555";
      ReleaseWorkflow rolledBack = awaitApproval(engine, sha5);
      rolledBack.approve(new Approval("bob", null));
      engine.result(rolledBack);
      save(engine, dir, "release-rolled-back.json", releaseId("shop", sha5));

      engine.stages.failing.add("build");
      String sha6 = "6666666666666666666666666666666666666666";
      engine.result(engine.start(Specs.request(Specs.spec("shop"), sha6, "dave")));
      save(engine, dir, "release-build-failed.json", releaseId("shop", sha6));
    }
  }

  /**
   * An environment that plans on what its hosts serve (recorded on its own): a first deploy, one
   * whose host disagreed with the record, then one that failed after its switch and was switched
   * back.
   */
  private static void recordGroundTruth(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow first = awaitApproval(engine, Specs.SHA_1);
      first.approve(new Approval("bob", null));
      engine.result(first);
      String host = Specs.spec("shop").environment("production").hosts().get(0).name();
      engine.stages.served.put(
          StandInStages.hostKey("shop", "production", host), org.releaseengine.model.Slot.GREEN);
      ReleaseWorkflow second = awaitApproval(engine, Specs.SHA_2);
      second.approve(new Approval("bob", null));
      engine.result(second);
      engine.stages.failing.add("deploy-after-switch:production");
      ReleaseWorkflow third = awaitApproval(engine, Specs.SHA_3);
      third.approve(new Approval("bob", null));
      engine.result(third);
      save(engine, dir, "environment-ground-truth.json", environmentId("shop", "production"));
    }
  }

  /**
   * The canary's histories (recorded on their own, later than the others): a promoted canary with a
   * refused and an accepted promote, then one that fails its analysis, in one environment.
   */
  private static void recordCanary(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseSpec spec =
          Specs.withCanary(
              "cart",
              errorRate(2),
              CanaryStep.setWeight(10),
              CanaryStep.analysis(List.of()),
              CanaryStep.pause(null),
              CanaryStep.setWeight(50));
      engine.stages.scriptMetrics(List.of(0.01));
      ReleaseWorkflow first = engine.start(Specs.request(spec, Specs.SHA_1, "dave"));
      engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      first.approve(new Approval("bob", null));
      engine.resultSkippingTime(first);

      ReleaseWorkflow promoted = engine.start(Specs.request(spec, Specs.SHA_2, "dave"));
      engine.awaitStatus(promoted, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      promoted.approve(new Approval("bob", null));
      engine.awaitCanaryStep(promoted, "until promoted");
      promoted.promote("mallory");
      promoted.promote("carol");
      engine.resultSkippingTime(promoted);
      save(engine, dir, "release-canary-promoted.json", releaseId("cart", Specs.SHA_2));

      engine.stages.scriptMetrics(List.of(0.5));
      ReleaseWorkflow failed = engine.start(Specs.request(spec, Specs.SHA_3, "dave"));
      engine.awaitStatus(failed, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      failed.approve(new Approval("bob", null));
      engine.resultSkippingTime(failed);
      save(engine, dir, "release-canary-failed.json", releaseId("cart", Specs.SHA_3));
      save(engine, dir, "environment-canary.json", environmentId("cart", "production"));
    }
  }

  /**
   * Recorded once after the environment lease, bounded waits and cancel tombstones went in (behind
   * getVersion): a release with E2E holding staging, an abort during a deploy whose undo fails, and
   * a cancel that reaches the environment before its order.
   */
  private static void recordLeasesAndAborts(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow leased =
          engine.start(Specs.request(Specs.withGates("shop"), Specs.SHA_1, "dave"));
      engine.awaitStatus(leased, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      leased.approve(new Approval("bob", null));
      engine.result(leased);
      save(engine, dir, "release-leased.json", releaseId("shop", Specs.SHA_1));
      save(engine, dir, "environment-staging-leased.json", environmentId("shop", "staging"));

      engine.stages.deployTime = Duration.ofSeconds(20);
      engine.stages.failing.add("retire:staging");
      ReleaseWorkflow aborted =
          engine.start(Specs.request(Specs.spec("cart"), Specs.SHA_2, "dave"));
      engine.awaitStatus(
          aborted, s -> s.currentStage() == org.releaseengine.model.Stage.DEPLOY_STAGING);
      arrived(engine.stages.deployStarted);
      aborted.abort(new org.releaseengine.release.AbortRequest("erin", "wrong branch"));
      engine.result(aborted);
      save(engine, dir, "release-aborted-undo-failed.json", releaseId("cart", Specs.SHA_2));
      save(engine, dir, "environment-abort-undo-failed.json", environmentId("cart", "staging"));
    }
  }

  /** The audit limit under which the audit archive's history was recorded (and replays). */
  static final int SHORT_AUDIT_LIMIT = 2;

  /**
   * Recorded once after the audit trail went in (its archive behind getVersion): two releases whose
   * production deploys carry their approvals and stages, then rollbacks; with the audit limit
   * lowered to {@link #SHORT_AUDIT_LIMIT} the oldest entries are archived, one archive failing (the
   * entry waits) and the next archiving what waited.
   */
  private static void recordAuditArchive(Path dir) throws IOException {
    try (EngineTestEnvironment engine =
        EngineTestEnvironment.withLimits(
            RecordLimits.DEFAULT.withAuditEntries(SHORT_AUDIT_LIMIT))) {
      ReleaseWorkflow first = awaitApproval(engine, Specs.SHA_1);
      first.approve(new Approval("bob", "ship it"));
      engine.result(first);
      ReleaseWorkflow second = awaitApproval(engine, Specs.SHA_2);
      second.approve(new Approval("bob", "again"));
      engine.result(second);
      save(engine, dir, "release-audited.json", releaseId("shop", Specs.SHA_2));
      engine.rollback("shop", "production", Specs.SHA_1.substring(0, 7), "erin", "rb-1");
      engine.awaitOperation("shop", "production", "rb-1");
      engine.stages.failing.add("archive");
      engine.rollback("shop", "production", Specs.SHA_2.substring(0, 7), "erin", "rb-2");
      engine.awaitOperation("shop", "production", "rb-2");
      engine.stages.failing.remove("archive");
      engine.rollback("shop", "production", Specs.SHA_1.substring(0, 7), "erin", "rb-3");
      engine.awaitOperation("shop", "production", "rb-3");
      System.out.println("archived: " + engine.stages.archived.keySet());
      save(engine, dir, "environment-audit-archived.json", environmentId("shop", "production"));
    }
  }

  /** The history limit under which the continue-as-new histories were recorded (and replay). */
  static final int SHORT_HISTORY_LIMIT = 60;

  /**
   * Recorded once after the records were bounded: a cancel that reaches the environment before its
   * order; an environment that continues as new (its history limit lowered to {@link
   * #SHORT_HISTORY_LIMIT}) carrying a tombstone, whose next run cancels the order when it comes;
   * and a release whose verification fails and whose automatic rollback fails too.
   */
  private static void recordTombstonesContinueAsNewAndFailedRollback(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      EnvironmentRequests requests = new EnvironmentRequests(engine.client);
      cancelBeforeOrder(engine, "shop", "staging", "order-1");
      requests.submitDeploy(order("order-1", "shop", "staging", Specs.SHA_1));
      engine.awaitOperation("shop", "staging", "order-1");
      save(engine, dir, "environment-cancel-before-order.json", environmentId("shop", "staging"));
    }
    try (EngineTestEnvironment engine =
        EngineTestEnvironment.withLimits(
            RecordLimits.DEFAULT.withHistoryEvents(SHORT_HISTORY_LIMIT))) {
      EnvironmentRequests requests = new EnvironmentRequests(engine.client);
      String id = environmentId("cart", "staging");
      cancelBeforeOrder(engine, "cart", "staging", "order-late");
      String previousRun = "";
      for (int i = 0; i < 50 && previousRun.isEmpty(); i++) {
        engine.rollback("cart", "staging", "0000000", "erin", "rb-" + i);
        engine.awaitOperation("cart", "staging", "rb-" + i);
        previousRun =
            engine
                .client
                .fetchHistory(id)
                .getEvents()
                .get(0)
                .getWorkflowExecutionStartedEventAttributes()
                .getContinuedExecutionRunId();
      }
      if (previousRun.isEmpty()) {
        throw new IllegalStateException("the environment never continued as new");
      }
      requests.submitDeploy(order("order-late", "cart", "staging", Specs.SHA_2));
      Operation late = engine.awaitOperation("cart", "staging", "order-late");
      System.out.println("the tombstoned order after continue-as-new: " + late);
      Files.writeString(
          dir.resolve("environment-continued-as-new.json"),
          engine.client.fetchHistory(id, previousRun).toJson(true),
          java.nio.file.StandardOpenOption.CREATE_NEW);
      System.out.println("recorded environment-continued-as-new.json from " + previousRun);
      save(engine, dir, "environment-after-continue-as-new.json", id);
    }
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow first = engine.start(Specs.request(Specs.spec("web"), Specs.SHA_1, "dave"));
      engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      first.approve(new Approval("bob", null));
      engine.result(first);
      engine.stages.failing.add("verify");
      engine.stages.failing.add("switch:production");
      ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("web"), Specs.SHA_2, "dave"));
      engine.awaitStatus(second, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      second.approve(new Approval("bob", null));
      System.out.println("the failed rollback: " + engine.result(second).reason());
      save(engine, dir, "release-rollback-failed.json", releaseId("web", Specs.SHA_2));
      save(engine, dir, "environment-rollback-failed.json", environmentId("web", "production"));
    }
  }

  private static void cancelBeforeOrder(
      EngineTestEnvironment engine, String service, String environment, String orderId) {
    EnvironmentWorkflow stub = EnvironmentRequests.stub(engine.client, service, environment);
    io.temporal.client.BatchRequest cancel = engine.client.newSignalWithStartRequest();
    cancel.add(stub::run, EnvironmentState.empty(service, environment));
    cancel.add(stub::cancelOrder, orderId);
    engine.client.signalWithStart(cancel);
  }

  private static DeployOrder order(String orderId, String service, String environment, String sha) {
    return new DeployOrder(
        orderId,
        null,
        service,
        environment,
        Specs.environment(18080),
        new ImageRef("127.0.0.1:5000/" + service, sha, StandInStages.digestOf(sha)),
        "dave");
  }

  /** The canaries' and verifications' check: an error rate under 5%, {@code count} times. */
  private static MetricCheck errorRate(int count) {
    return new MetricCheck(
        "error-rate",
        "errors{slot=\"$slot\"}",
        null,
        0.05,
        Duration.ofSeconds(10),
        count,
        0,
        MetricCheck.NoData.IGNORE);
  }

  /** Waits until a stand-in activity has reached {@code latch}; false when interrupted. */
  private static boolean arrived(java.util.concurrent.CountDownLatch latch) {
    try {
      latch.await();
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /** A release of {@code spec} that waited for its approval and was approved by bob. */
  private static ReleaseWorkflow approved(
      EngineTestEnvironment engine, ReleaseSpec spec, String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(spec, sha, "dave"));
    engine.awaitStatus(release, st -> st.state() == ReleaseState.AWAITING_APPROVAL);
    release.approve(new Approval("bob", null));
    return release;
  }

  private static ReleaseWorkflow awaitApproval(EngineTestEnvironment engine, String sha) {
    ReleaseWorkflow release = engine.start(Specs.request(Specs.spec("shop"), sha, "dave"));
    engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
    return release;
  }

  /**
   * A release that lists its environments: dev (with E2E), staging, then two production
   * environments each approved on its own; and a second one whose verification failed in staging,
   * which rolled staging back and went no further.
   */
  private static void recordEnvironmentList(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow first =
          engine.start(Specs.request(Specs.listed("shop"), Specs.SHA_1, "dave"));
      engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      first.approve(new Approval("bob", "eu"));
      engine.awaitStatus(
          first,
          s ->
              s.state() == ReleaseState.AWAITING_APPROVAL
                  && "approval production-us".equals(s.currentStageLabel()));
      first.approve(new Approval("alice", "us"));
      engine.result(first);
      engine.stages.failing.add("verify:staging");
      ReleaseWorkflow second =
          engine.start(Specs.request(Specs.listed("shop"), Specs.SHA_2, "dave"));
      engine.result(second);
      save(engine, dir, "release-environment-list.json", releaseId("shop", Specs.SHA_1));
      save(
          engine, dir, "release-environment-list-rolled-back.json", releaseId("shop", Specs.SHA_2));
    }
  }

  /**
   * The operator policy: a release admitted (a refused abort on the way), one refused before
   * anything ran, and an environment that carried out one rollback and refused another.
   */
  private static void recordOperatorPolicy(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow admitted = awaitApproval(engine, Specs.SHA_1);
      admitted.abort(new org.releaseengine.release.AbortRequest("mallory", "not mine"));
      engine.awaitStatus(admitted, s -> !s.refusedSignals().isEmpty());
      admitted.approve(new Approval("bob", null));
      engine.result(admitted);
      ReleaseWorkflow second = awaitApproval(engine, Specs.SHA_2);
      second.approve(new Approval("bob", null));
      engine.result(second);
      engine.rollback("shop", "production", Specs.SHA_1, "erin", "rollback-allowed");
      engine.awaitOperation("shop", "production", "rollback-allowed");
      engine.policy.refusing = true;
      engine.rollback("shop", "production", Specs.SHA_2, "mallory", "rollback-refused");
      engine.awaitOperation("shop", "production", "rollback-refused");
      ReleaseWorkflow refused =
          engine.start(Specs.request(Specs.spec("shop"), Specs.SHA_3, "mallory"));
      engine.result(refused);
      save(engine, dir, "release-policy-admitted.json", releaseId("shop", Specs.SHA_1));
      save(engine, dir, "release-policy-refused.json", releaseId("shop", Specs.SHA_3));
      save(engine, dir, "environment-policy-rollbacks.json", environmentId("shop", "production"));
    }
  }

  /**
   * Signed decisions as updates: a release refusing an unknown key and an unsigned signal, then
   * approved by a signed update; its environment rolled back by a signed update.
   */
  private static void recordSignedDecisions(Path dir) throws IOException {
    Path keys = Files.createTempDirectory("signers-");
    TestSigners people = TestSigners.create(keys.resolve("people"), List.of("bob", "erin"));
    TestSigners stranger = TestSigners.create(keys.resolve("stranger"), List.of("bob"));
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      engine.policy.allowedSigners = people.allowedSigners();
      engine.policy.signedAdmissions = true;
      for (String sha : List.of(Specs.SHA_1, Specs.SHA_2)) {
        ReleaseWorkflow release = awaitApproval(engine, sha);
        var approve =
            org.releaseengine.signing.DecisionSubject.approve(
                releaseId("shop", sha), StandInStages.digestOf(sha));
        release.approve(new Approval("bob", null));
        release.decide(stranger.sign("bob", approve, null));
        release.decide(people.sign("bob", approve, "signed"));
        engine.result(release);
      }
      engine
          .client
          .newWorkflowStub(
              org.releaseengine.environment.EnvironmentWorkflow.class,
              environmentId("shop", "production"))
          .requestRollback(
              people.sign(
                  "erin",
                  org.releaseengine.signing.DecisionSubject.rollback(
                      "shop", "production", Specs.SHA_1),
                  null));
      save(engine, dir, "release-signed-decisions.json", releaseId("shop", Specs.SHA_2));
      save(engine, dir, "environment-signed-rollback.json", environmentId("shop", "production"));
    }
  }

  /**
   * Recorded once after containers got their configuration (env, secrets by name, volumes, limits,
   * command) and deploys their keyed fingerprints: a release of a configured service, then the same
   * sha again after its secret changed (a new deploy of the same digest).
   */
  private static void recordContainerConfig(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseSpec plain = Specs.spec("shop");
      java.util.Map<String, org.releaseengine.model.EnvironmentSpec> envs =
          new java.util.LinkedHashMap<>(plain.environments());
      envs.put(
          "production",
          envs.get("production")
              .withContainer(
                  new org.releaseengine.model.ContainerSpec(
                      java.util.Map.of("GREETING", "hello"),
                      List.of("API_KEY"),
                      List.of(new org.releaseengine.model.VolumeSpec("shop-data", "/data", false)),
                      "256m",
                      "0.5",
                      null)));
      ReleaseSpec spec =
          new ReleaseSpec(
              plain.service(),
              plain.source(),
              plain.image(),
              plain.approval(),
              envs,
              plain.scanners(),
              plain.e2e(),
              plain.notifications());
      engine.stages.configs.put(
          "production",
          new org.releaseengine.model.ConfigPrint(
              "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
              java.util.Map.of("API_KEY", "11111111111111111111111111111111")));
      ReleaseWorkflow first = engine.start(Specs.request(spec, Specs.SHA_1, "dave"));
      engine.awaitStatus(first, st -> st.state() == ReleaseState.AWAITING_APPROVAL);
      first.approve(new Approval("bob", null));
      engine.result(first);
      save(engine, dir, "release-container-config.json", releaseId("shop", Specs.SHA_1));
      engine.stages.configs.put(
          "production",
          new org.releaseengine.model.ConfigPrint(
              "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb",
              java.util.Map.of("API_KEY", "22222222222222222222222222222222")));
      ReleaseWorkflow again = null;
      for (int i = 0; again == null && i < 500; i++) {
        try {
          again = engine.start(Specs.request(spec, Specs.SHA_1, "dave"));
        } catch (io.temporal.client.WorkflowExecutionAlreadyStarted closing) {
          EngineTestEnvironment.sleep(20);
        }
      }
      engine.awaitStatus(again, st -> st.state() == ReleaseState.AWAITING_APPROVAL);
      again.approve(new Approval("bob", null));
      engine.result(again);
      save(engine, dir, "environment-same-digest-again.json", environmentId("shop", "production"));
    }
  }

  /**
   * Production's hosts cannot be read for a deploy (it fails, nothing started), then a release's
   * late automatic rollback arrives while a newer deploy runs: it waits, and is refused.
   */
  private static void recordReviewFixes(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      for (String sha : List.of(Specs.SHA_1, Specs.SHA_2)) {
        ReleaseWorkflow release = awaitApproval(engine, sha);
        release.approve(new Approval("bob", null));
        engine.result(release);
      }
      engine.stages.failing.add("inspect:production");
      ReleaseWorkflow unreadable = awaitApproval(engine, Specs.SHA_3);
      unreadable.approve(new Approval("bob", null));
      engine.result(unreadable);
      engine.stages.failing.remove("inspect:production");
      List<Operation> ops = engine.environment("shop", "production").operations();
      String second = ops.get(1).id();
      String prefix = second.substring(0, second.lastIndexOf('/'));
      engine.stages.deployTime = Duration.ofSeconds(3);
      engine.stages.deployStarted = new java.util.concurrent.CountDownLatch(2);
      ReleaseWorkflow again = engine.start(Specs.request(Specs.spec("shop"), Specs.SHA_3, "erin"));
      engine.awaitStatus(again, st -> st.state() == ReleaseState.AWAITING_APPROVAL);
      again.approve(new Approval("bob", null));
      if (!arrived(engine.stages.deployStarted)) {
        return;
      }
      new EnvironmentRequests(engine.client)
          .submitRollback(
              "shop",
              "production",
              new org.releaseengine.environment.RollbackRequest(
                  Specs.SHA_1,
                  "release-engine (verification failed)",
                  prefix + "/rollback",
                  EngineNames.releaseId("shop", Specs.SHA_2)));
      engine.result(again);
      engine.awaitOperation("shop", "production", prefix + "/rollback");
      save(engine, dir, "environment-review-fixes.json", "env/shop/production");
    }
  }

  /** A newer release goes live first; the older one, approved late, is refused in production. */
  private static void recordNeverOlder(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow older = awaitApproval(engine, Specs.SHA_1);
      ReleaseWorkflow newer = awaitApproval(engine, Specs.SHA_2);
      newer.approve(new Approval("bob", null));
      engine.result(newer);
      older.approve(new Approval("bob", null));
      engine.result(older);
      save(engine, dir, "release-older-refused.json", "release/shop/" + Specs.SHA_1);
      save(engine, dir, "environment-never-older.json", "env/shop/production");
    }
  }

  /**
   * As {@link #recordNeverOlder}, under a policy that allows older releases in production: the
   * older release, approved late, deploys there with a note.
   */
  private static void recordOlderByPolicy(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      engine.policy.olderReleasesAllowed = List.of("production");
      ReleaseWorkflow older = awaitApproval(engine, Specs.SHA_1);
      ReleaseWorkflow newer = awaitApproval(engine, Specs.SHA_2);
      newer.approve(new Approval("bob", null));
      engine.result(newer);
      older.approve(new Approval("bob", null));
      engine.result(older);
      save(engine, dir, "release-older-by-policy.json", "release/shop/" + Specs.SHA_1);
      save(engine, dir, "environment-older-by-policy.json", "env/shop/production");
    }
  }

  /**
   * Three releases in production, then the second's automatic rollback arriving late (refused: the
   * third is live), then the third's own (carried out).
   */
  private static void recordUndoOwnDeploy(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      for (String sha : List.of(Specs.SHA_1, Specs.SHA_2, Specs.SHA_3)) {
        ReleaseWorkflow release = awaitApproval(engine, sha);
        release.approve(new Approval("bob", null));
        engine.result(release);
      }
      List<Operation> ops = engine.environment("shop", "production").operations();
      for (int i : new int[] {1, 2}) {
        String order = ops.get(i).id();
        String prefix = order.substring(0, order.lastIndexOf('/'));
        new EnvironmentRequests(engine.client)
            .submitRollback(
                "shop",
                "production",
                new org.releaseengine.environment.RollbackRequest(
                    ops.get(i - 1).sha(),
                    "release-engine (verification failed)",
                    prefix + "/rollback",
                    EngineNames.releaseId("shop", ops.get(i).sha())));
        engine.awaitOperation("shop", "production", prefix + "/rollback");
      }
      save(engine, dir, "environment-undo-own-deploy.json", "env/shop/production");
    }
  }

  /** A release approved by a signed decision whose request id was taken before verifying it. */
  private static void recordAtomicRequestIds(Path dir) throws IOException {
    Path keys = Files.createTempDirectory("signers-");
    TestSigners people = TestSigners.create(keys, List.of("bob"));
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      engine.policy.allowedSigners = people.allowedSigners();
      ReleaseWorkflow release = awaitApproval(engine, Specs.SHA_1);
      release.decide(
          people.sign(
              "bob",
              org.releaseengine.signing.DecisionSubject.approve(
                  "release/shop/" + Specs.SHA_1, StandInStages.digestOf(Specs.SHA_1)),
              "signed"));
      engine.result(release);
      save(engine, dir, "release-atomic-request-ids.json", "release/shop/" + Specs.SHA_1);
    }
  }

  /** A release verified by three measurements, none of which sends a notice of its own. */
  private static void recordQuietMeasurements(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseSpec spec = Specs.withVerification("shop", errorRate(3));
      engine.stages.scriptMetrics(List.of(0.01));
      engine.resultSkippingTime(approved(engine, spec, Specs.SHA_1));
      save(engine, dir, "release-quiet-measurements.json", releaseId("shop", Specs.SHA_1));
    }
  }

  /** A release aborted while production is verified: the previous release is put back. */
  private static void recordAbortPutsBack(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseSpec spec = Specs.withVerification("shop", errorRate(3));
      engine.stages.scriptMetrics(List.of(0.01));
      engine.resultSkippingTime(approved(engine, spec, Specs.SHA_1));
      ReleaseWorkflow second = approved(engine, spec, Specs.SHA_2);
      engine.awaitStatus(
          second,
          st ->
              st.stage(org.releaseengine.model.Stage.VERIFY).state()
                  == org.releaseengine.model.StageState.RUNNING);
      second.abort(new org.releaseengine.release.AbortRequest("dave", "wrong build"));
      engine.resultSkippingTime(second);
      save(engine, dir, "release-abort-puts-back.json", releaseId("shop", Specs.SHA_2));
    }
  }

  /**
   * A release aborted while its E2E suite runs: the release waits for the suite to stop before it
   * lets staging go.
   */
  private static void recordSuiteStopsFirst(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      engine.stages.e2eTime = Duration.ofSeconds(2);
      ReleaseWorkflow release =
          engine.start(Specs.request(Specs.withGates("shop"), Specs.SHA_1, "dave"));
      engine.awaitStatus(release, s -> s.currentStage() == org.releaseengine.model.Stage.E2E);
      release.abort(new org.releaseengine.release.AbortRequest("dave", "wrong build"));
      engine.result(release);
      save(engine, dir, "release-suite-stops-first.json", releaseId("shop", Specs.SHA_1));
    }
  }

  /**
   * A release aborted while staging reads what its hosts serve for the deploy (taken from the
   * queue, not started): staging cancels it before anything starts.
   */
  private static void recordAbortBeforeRunning(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow first = awaitApproval(engine, Specs.SHA_1);
      first.approve(new Approval("bob", null));
      engine.result(first);
      engine.stages.slowInspectSha = Specs.SHA_2;
      engine.stages.slowInspectTime = Duration.ofSeconds(2);
      ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("shop"), Specs.SHA_2, "dave"));
      if (!arrived(engine.stages.slowInspectStarted)) {
        return;
      }
      second.abort(new org.releaseengine.release.AbortRequest("carol", "wrong build"));
      engine.result(second);
      save(engine, dir, "release-aborted-before-running.json", releaseId("shop", Specs.SHA_2));
      save(engine, dir, "environment-cancel-before-running.json", environmentId("shop", "staging"));
    }
  }

  /**
   * Recorded with the history limit at one event (every idle moment is a moment to continue as
   * new): a release, then a second whose staging deploy ends while a signed rollback of staging is
   * being verified; staging waits for the update, carries the rollback out, then continues as new.
   */
  private static void recordHandlersFinish(Path dir) throws IOException {
    Path keys = Files.createTempDirectory("signers-");
    TestSigners people = TestSigners.create(keys, List.of("erin"));
    try (EngineTestEnvironment engine =
        EngineTestEnvironment.withLimits(RecordLimits.DEFAULT.withHistoryEvents(1))) {
      engine.policy.allowedSigners = people.allowedSigners();
      engine.policy.rollbackers = List.of("erin");
      ReleaseWorkflow first = awaitApproval(engine, Specs.SHA_1);
      first.approve(new Approval("bob", null));
      engine.result(first);
      engine.stages.deployTime = Duration.ofSeconds(2);
      engine.stages.deployStarted = new java.util.concurrent.CountDownLatch(1);
      engine.policy.verifyTime = Duration.ofSeconds(4);
      ReleaseWorkflow second = engine.start(Specs.request(Specs.spec("shop"), Specs.SHA_2, "dave"));
      engine.awaitStatus(
          second, st -> st.currentStage() == org.releaseengine.model.Stage.DEPLOY_STAGING);
      if (!arrived(engine.stages.deployStarted)) {
        return;
      }
      String id = environmentId("shop", "staging");
      String before = engine.client.newUntypedWorkflowStub(id).describe().getExecution().getRunId();
      engine
          .client
          .newWorkflowStub(EnvironmentWorkflow.class, id)
          .requestRollback(
              people.sign(
                  "erin",
                  org.releaseengine.signing.DecisionSubject.rollback(
                      "shop", "staging", Specs.SHA_1),
                  null));
      Files.writeString(
          dir.resolve("environment-handlers-finish.json"),
          engine.client.fetchHistory(id, before).toJson(true),
          java.nio.file.StandardOpenOption.CREATE_NEW);
      save(engine, dir, "release-handlers-finish.json", releaseId("shop", Specs.SHA_1));
    }
  }

  /**
   * A release cancelled through Temporal while staging deploys it: it withdraws the order (staging
   * cancels the deploy) and lets staging go.
   */
  private static void recordCancelledRelease(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      engine.stages.deployTime = Duration.ofSeconds(20);
      engine.stages.deployStarted = new java.util.concurrent.CountDownLatch(1);
      ReleaseWorkflow release =
          engine.start(Specs.request(Specs.spec("shop"), Specs.SHA_1, "dave"));
      engine.awaitStatus(
          release, st -> st.currentStage() == org.releaseengine.model.Stage.DEPLOY_STAGING);
      if (!arrived(engine.stages.deployStarted)) {
        return;
      }
      engine.client.newUntypedWorkflowStub(releaseId("shop", Specs.SHA_1)).cancel();
      engine.awaitEnvironment(
          "shop", "staging", v -> !v.operations().isEmpty() && v.operations().get(0).finished());
      save(engine, dir, "release-cancelled.json", releaseId("shop", Specs.SHA_1));
      save(engine, dir, "environment-cancelled-release.json", environmentId("shop", "staging"));
    }
  }

  /**
   * A canary promoted whole (its final switch in a scope of its own), then one aborted while its
   * promotion switch ran: the switch lands, then every request goes back to stable.
   */
  private static void recordWholePromotion(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseSpec spec = Specs.withCanary("cart", errorRate(2), CanaryStep.setWeight(50));
      engine.stages.scriptMetrics(List.of(0.01));
      for (String sha : List.of(Specs.SHA_1, Specs.SHA_2)) {
        ReleaseWorkflow release = engine.start(Specs.request(spec, sha, "dave"));
        engine.awaitStatus(release, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
        release.approve(new Approval("bob", null));
        engine.resultSkippingTime(release);
      }
      engine.stages.slowSwitchSha = Specs.SHA_3;
      engine.stages.slowSwitchTime = Duration.ofSeconds(2);
      ReleaseWorkflow aborted = engine.start(Specs.request(spec, Specs.SHA_3, "dave"));
      engine.awaitStatus(aborted, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      aborted.approve(new Approval("bob", null));
      if (!arrived(engine.stages.slowSwitchStarted)) {
        return;
      }
      aborted.abort(new org.releaseengine.release.AbortRequest("carol", "not now"));
      engine.result(aborted);
      engine.awaitEnvironment(
          "cart",
          "production",
          v -> v.operations().size() == 3 && v.operations().get(2).finished());
      save(
          engine,
          dir,
          "environment-canary-whole-promotion.json",
          environmentId("cart", "production"));
    }
  }

  /**
   * A release terminated while staging deploys it: staging's answer finds no release, which it
   * notes (and the lease ends with it); then the next release deploys there.
   */
  private static void recordReplyToGone(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      engine.stages.deployTime = Duration.ofSeconds(2);
      engine.stages.deployStarted = new java.util.concurrent.CountDownLatch(1);
      ReleaseWorkflow gone = engine.start(Specs.request(Specs.spec("shop"), Specs.SHA_1, "dave"));
      engine.awaitStatus(
          gone, st -> st.currentStage() == org.releaseengine.model.Stage.DEPLOY_STAGING);
      if (!arrived(engine.stages.deployStarted)) {
        return;
      }
      engine.client.newUntypedWorkflowStub(releaseId("shop", Specs.SHA_1)).terminate("gone");
      engine.awaitEnvironment(
          "shop", "staging", v -> !v.operations().isEmpty() && v.operations().get(0).finished());
      engine.stages.deployTime = Duration.ZERO;
      ReleaseWorkflow next = awaitApproval(engine, Specs.SHA_2);
      next.approve(new Approval("bob", null));
      engine.result(next);
      save(engine, dir, "environment-reply-to-gone.json", environmentId("shop", "staging"));
    }
  }

  /** The limits under which the bounded-growth history was recorded (and replays). */
  static final RecordLimits BOUNDED_GROWTH_LIMITS =
      RecordLimits.DEFAULT.withOperations(5).withAuditEntries(2).withAuditBacklog(1);

  /**
   * Recorded with the limits lowered to {@link #BOUNDED_GROWTH_LIMITS} (five operations, two audit
   * entries and one more waiting): staging deploys, refuses a rollback, then refused signed
   * rollbacks push out the oldest refusals first (the first trim made by the update; the refused
   * rollback's id goes, so a later one reusing it is verified, and refused, again); with the audit
   * archive failing, rollbacks push the oldest entry out unarchived; a deploy held while refusals
   * arrive stays in the record, however old, and finishes; then the archive is back.
   */
  private static void recordBoundedGrowth(Path dir) throws IOException {
    try (EngineTestEnvironment engine = EngineTestEnvironment.withLimits(BOUNDED_GROWTH_LIMITS)) {
      EnvironmentRequests requests = new EnvironmentRequests(engine.client);
      String used = "used-request-id-0001";
      requests.submitDeploy(order("order-1", "shop", "staging", Specs.SHA_1));
      engine.awaitOperation("shop", "staging", "order-1");
      engine.rollback("shop", "staging", "0000000", "erin", used);
      engine.awaitOperation("shop", "staging", used);
      for (int i = 0; i < 4; i++) {
        refusedRollback(engine, "shop", "staging", used);
      }
      engine.stages.failing.add("archive");
      for (int i = 2; i <= 4; i++) {
        engine.rollback("shop", "staging", "0000000", "erin", "rb-" + i);
        engine.awaitOperation("shop", "staging", "rb-" + i);
      }
      engine.stages.deployStarted = new java.util.concurrent.CountDownLatch(1);
      engine.stages.deployHold = new java.util.concurrent.CountDownLatch(1);
      requests.submitDeploy(order("order-2", "shop", "staging", Specs.SHA_2));
      if (!arrived(engine.stages.deployStarted)) {
        return;
      }
      for (int i = 0; i < 6; i++) {
        refusedRollback(engine, "shop", "staging", used);
      }
      engine.stages.deployHold.countDown();
      engine.awaitOperation("shop", "staging", "order-2");
      engine.awaitEnvironment(
          "shop", "staging", v -> v.forgotten() != null && v.forgotten().unarchivedAudit() == 3);
      engine.stages.failing.remove("archive");
      engine.rollback("shop", "staging", "0000000", "erin", "rb-5");
      engine.awaitOperation("shop", "staging", "rb-5");
      var view = engine.awaitEnvironment("shop", "staging", v -> v.audit().size() == 2);
      System.out.println(
          "forgotten: " + view.forgotten() + "; archived: " + engine.stages.archived);
      save(engine, dir, "environment-bounded-growth.json", environmentId("shop", "staging"));
    }
  }

  /** A signed rollback reusing {@code used}: refused before any verification, as an operation. */
  private static void refusedRollback(
      EngineTestEnvironment engine, String service, String environment, String used) {
    String id = environmentId(service, environment);
    Operation refused =
        engine
            .client
            .newWorkflowStub(EnvironmentWorkflow.class, id)
            .requestRollback(
                new org.releaseengine.signing.SignedDecision(
                    new org.releaseengine.signing.DecisionPayload(
                        org.releaseengine.signing.DecisionSubject.Kind.ROLLBACK,
                        id,
                        null,
                        Specs.SHA_1,
                        null,
                        null,
                        java.time.Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                        used),
                    "-----BEGIN SSH SIGNATURE-----",
                    null));
    if (refused.state() != Operation.State.REFUSED) {
      throw new IllegalStateException("not refused: " + refused);
    }
  }

  /**
   * A release that lists its environments, aborted at its first approval (dev and staging run it);
   * then a second whose E2E suite fails in dev, which rolls dev back to the first and goes no
   * further.
   */
  private static void recordEnvironmentListE2e(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      ReleaseWorkflow first =
          engine.start(Specs.request(Specs.listed("shop"), Specs.SHA_1, "dave"));
      engine.awaitStatus(first, s -> s.state() == ReleaseState.AWAITING_APPROVAL);
      first.abort(new org.releaseengine.release.AbortRequest("dave", "dev and staging are enough"));
      engine.result(first);
      engine.stages.failing.add("e2e:http://127.0.0.1:17080");
      ReleaseWorkflow second =
          engine.start(Specs.request(Specs.listed("shop"), Specs.SHA_2, "dave"));
      var done = engine.result(second);
      if (done.state() != ReleaseState.ROLLED_BACK || !"e2e dev".equals(done.failedStageLabel())) {
        throw new IllegalStateException("not rolled back after its E2E suite: " + done);
      }
      System.out.println("the listed release after its failed E2E suite: " + done.reason());
      save(
          engine,
          dir,
          "release-environment-list-e2e-rolled-back.json",
          releaseId("shop", Specs.SHA_2));
      save(engine, dir, "environment-list-e2e-rolled-back.json", environmentId("shop", "dev"));
    }
  }

  /**
   * Production terminated after two releases went live: the rollback that starts it again finds a
   * record rebuilt from the audit archive (each entry archived as it ended) and the hosts, and puts
   * the first sha back; then a third release deploys there.
   */
  private static void recordRebuiltAfterRestart(Path dir) throws IOException {
    try (EngineTestEnvironment engine = new EngineTestEnvironment()) {
      for (String sha : List.of(Specs.SHA_1, Specs.SHA_2)) {
        ReleaseWorkflow release = awaitApproval(engine, sha);
        release.approve(new Approval("bob", null));
        engine.result(release);
      }
      engine
          .client
          .newUntypedWorkflowStub(environmentId("shop", "production"))
          .terminate("a reset gone wrong");
      engine.rollback("shop", "production", Specs.SHA_1.substring(0, 7), "erin", "rb-restarted");
      engine.awaitOperation("shop", "production", "rb-restarted");
      ReleaseWorkflow third = awaitApproval(engine, Specs.SHA_3);
      third.approve(new Approval("bob", null));
      engine.result(third);
      System.out.println(engine.environment("shop", "production").operations());
      save(
          engine,
          dir,
          "environment-rebuilt-after-restart.json",
          environmentId("shop", "production"));
    }
  }

  private static void save(EngineTestEnvironment engine, Path dir, String name, String workflowId)
      throws IOException {
    // a checked-in history is never re-recorded: a file that exists stays as it is
    Files.writeString(
        dir.resolve(name),
        engine.client.fetchHistory(workflowId).toJson(true),
        java.nio.file.StandardOpenOption.CREATE_NEW);
    System.out.println("recorded " + name + " from " + workflowId);
  }
}
