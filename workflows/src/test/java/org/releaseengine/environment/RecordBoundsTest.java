package org.releaseengine.environment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineTestEnvironment;
import org.releaseengine.Specs;
import org.releaseengine.StandInStages;
import org.releaseengine.client.EnvironmentRequests;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ImageRef;
import org.releaseengine.model.Slot;

/**
 * An environment's records stay bounded however long it runs: the oldest deployments, operations
 * and hosts give way, counted in its view; an operation's notes are cut short and say how many more
 * there were.
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
