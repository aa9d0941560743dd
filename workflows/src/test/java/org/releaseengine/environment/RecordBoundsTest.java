package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;
import org.releaseengine.signing.DecisionPayload;
import org.releaseengine.signing.DecisionSubject;
import org.releaseengine.signing.SignedDecision;

/**
 * An environment's records stay bounded however long it runs: the oldest deployments, operations
 * (refused ones too) and hosts give way, counted in its view; an operation's notes are cut short
 * and say how many more there were.
 */
class RecordBoundsTest {

  private static final String SERVICE = "shop";
  private static final String STAGING = "staging";
  private final EngineTestEnvironment engine = new EngineTestEnvironment();
  private final EnvironmentRequests requests = new EnvironmentRequests(engine.client);

  @AfterEach
  void close() {
    engine.close();
  }

  static String sha(int i) {
    return String.format("%040x", 0xabc000L + i);
  }

  private void deploy(String orderId, String sha, EnvironmentSpec spec) {
    requests.submitDeploy(
        new DeployOrder(
            orderId,
            null,
            SERVICE,
            STAGING,
            spec,
            new ImageRef("127.0.0.1:5000/" + SERVICE, sha, StandInStages.digestOf(sha)),
            "dave"));
  }

  /** A spec whose one host is named after {@code i}: each deploy meets a host not seen before. */
  private static EnvironmentSpec onHost(int i) {
    EnvironmentSpec plain = Specs.environment(18080);
    HostSpec host = plain.hosts().get(0);
    return new EnvironmentSpec(
        plain.url(),
        List.of(
            new HostSpec("host-" + i, host.address(), host.port(), host.user(), host.nginxPort())),
        plain.slots(),
        plain.healthPath(),
        plain.rollbackWindow());
  }

  @Test
  void deploymentsOperationsAndHostsAreBoundedAndTheDroppedCounted() {
    int deploys = 70;
    for (int i = 0; i < deploys; i++) {
      deploy("order-" + i, sha(i), onHost(i));
    }
    engine.awaitOperation(SERVICE, STAGING, "order-" + (deploys - 1));
    for (int i = 0; i < 40; i++) {
      engine.rollback(SERVICE, STAGING, "0000000", "erin", "rb-" + i);
    }
    engine.awaitOperation(SERVICE, STAGING, "rb-39");
    EnvironmentView view = engine.environment(SERVICE, STAGING);

    assertEquals(50, view.deployments().size(), "the newest 50 shas are kept");
    assertEquals(sha(deploys - 1), view.deployments().get(0).sha());
    assertEquals(100, view.operations().size(), "the newest 100 operations are kept");
    assertEquals("rb-39", view.operations().get(99).id());
    assertEquals(50, view.hosts().size(), view.hosts().toString());
    assertTrue(view.hosts().containsKey("host-" + (deploys - 1)));
    assertEquals(new Forgotten(deploys - 50, deploys + 40 - 100, deploys - 50), view.forgotten());
    assertEquals(sha(deploys - 1), view.liveSha());

    engine.rollback(SERVICE, STAGING, sha(0), "erin", "rb-forgotten");
    Operation refused = engine.awaitOperation(SERVICE, STAGING, "rb-forgotten");
    assertEquals(Operation.State.REFUSED, refused.state());
    assertTrue(
        refused.reason().contains("20 oldest deployments are no longer recorded"),
        refused.reason());
  }

  /** A request id the environment has seen: a signed rollback naming it again is refused. */
  private static final String USED = "used-request-id-0001";

  /**
   * A signed rollback of staging that reuses {@link #USED}: refused, without being verified while
   * an operation of that id is kept (its signature is not even one), and recorded as an operation
   * of its own.
   */
  private Operation refusedUpdate() {
    String id = EngineNames.environmentId(SERVICE, STAGING);
    SignedDecision reused =
        new SignedDecision(
            new DecisionPayload(
                DecisionSubject.Kind.ROLLBACK,
                id,
                null,
                sha(1),
                null,
                null,
                Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS),
                USED),
            "-----BEGIN SSH SIGNATURE-----",
            null);
    Operation refused =
        engine.client.newWorkflowStub(EnvironmentWorkflow.class, id).requestRollback(reused);
    assertEquals(Operation.State.REFUSED, refused.state(), refused.toString());
    return refused;
  }

  /** Staging ran sha 1 and refused a rollback named {@link #USED}: two operations. */
  private void twoOperations() {
    deploy("first", sha(1), onHost(1));
    engine.awaitOperation(SERVICE, STAGING, "first");
    engine.rollback(SERVICE, STAGING, "0000000", "erin", USED);
    engine.awaitOperation(SERVICE, STAGING, USED);
  }

  @Test
  void aFloodOfRefusedUpdatesKeepsTheOperationsBoundedAndCountsWhatWentFirst() {
    twoOperations();
    int flood = 150;
    Operation last = null;
    for (int i = 0; i < flood; i++) {
      last = refusedUpdate();
    }
    EnvironmentView view = engine.environment(SERVICE, STAGING);

    assertEquals(100, view.operations().size(), "refused operations count against the 100 kept");
    assertEquals(last, view.operations().get(99), "the newest refusal is kept");
    assertEquals(2 + flood - 100, view.forgotten().operations(), view.forgotten().toString());
    assertEquals(sha(1), view.liveSha());

    deploy("second", sha(2), onHost(1));
    Operation second = engine.awaitOperation(SERVICE, STAGING, "second");
    assertEquals(Operation.State.SUCCEEDED, second.state(), second.toString());
    EnvironmentView after = engine.environment(SERVICE, STAGING);
    assertEquals(100, after.operations().size());
    assertEquals("second", after.operations().get(99).id());
    assertEquals(3 + flood - 100, after.forgotten().operations());
    assertEquals(sha(2), after.liveSha());
  }

  @Test
  void refusalsWhileADeployRunsNeverPushOutTheRunningOperation() throws Exception {
    twoOperations();
    for (int i = 0; i < 98; i++) {
      refusedUpdate();
    }
    assertEquals(100, engine.environment(SERVICE, STAGING).operations().size());
    engine.stages.deployStarted = new CountDownLatch(1);
    engine.stages.deployHold = new CountDownLatch(1);
    deploy("second", sha(2), onHost(1));
    assertTrue(engine.stages.deployStarted.await(30, TimeUnit.SECONDS), "the deploy never started");
    // the running deploy becomes the oldest operation kept, then refusals keep arriving
    for (int i = 0; i < 120; i++) {
      refusedUpdate();
    }
    EnvironmentView during = engine.environment(SERVICE, STAGING);
    assertEquals(100, during.operations().size());
    assertEquals(Operation.State.RUNNING, during.operation("second").state());
    engine.stages.deployHold.countDown();

    Operation second = engine.awaitOperation(SERVICE, STAGING, "second");
    assertEquals(Operation.State.SUCCEEDED, second.state(), second.toString());
    assertEquals(sha(2), engine.environment(SERVICE, STAGING).liveSha());
    assertEquals(100, engine.environment(SERVICE, STAGING).operations().size());
  }

  @Test
  void anOperationKeepsItsFirstNotesAndSaysHowManyMoreThereWere() {
    EnvironmentSpec plain = Specs.environment(18080);
    List<HostSpec> many = new ArrayList<>();
    IntStream.range(0, 30)
        .forEach(i -> many.add(new HostSpec("host-" + i, "127.0.0.1", 2222, "deploy", 18080)));
    EnvironmentSpec spec =
        new EnvironmentSpec(
            plain.url(), many, plain.slots(), plain.healthPath(), plain.rollbackWindow());
    deploy("first", sha(1), spec);
    engine.awaitOperation(SERVICE, STAGING, "first");
    // every host was switched to green behind the engine's back: each disagrees with the record
    many.forEach(
        h ->
            engine.stages.served.put(
                StandInStages.hostKey(SERVICE, STAGING, h.name()), Slot.GREEN));
    deploy("second", sha(2), spec);
    Operation second = engine.awaitOperation(SERVICE, STAGING, "second");

    assertEquals(21, second.notes().size(), second.notes().toString());
    assertEquals("… and 10 more notes", second.notes().get(20));
    assertTrue(second.reason().endsWith("… and 10 more notes"), second.reason());
  }
}
