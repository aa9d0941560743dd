package org.releaseengine.traffic;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.HostScript;
import org.releaseengine.ssh.HostShell;
import org.releaseengine.stage.DeployActivities.SlotTarget;

/**
 * The proxy in front of one service's two slots on one host (Argo Rollouts' traffic router): what
 * it sends traffic to, switching and weighing, waiting for the requests of the old routing, and
 * asking through it. Every call is idempotent. A failure is a StepFailed naming the step and host.
 */
public interface TrafficRouter {

  /** Builds a router for {@code target} on {@code host}, every value checked before any is sent. */
  interface Factory {
    TrafficRouter on(SlotTarget target, HostShell host);
  }

  /**
   * What routing left behind when it changed: the requests it still serves the old way ({@code
   * pending}, for {@link #drain}), or nothing when the proxy already routed so.
   */
  record Change(Optional<String> pending) {
    public static final Change NONE = new Change(Optional.empty());
  }

  /** What the proxy sends the service's traffic to: each slot with its weight (none yet: empty). */
  Map<Slot, Integer> serving() throws IOException;

  /** Sends every request to {@code slot}. */
  Change switchTo(Slot slot) throws IOException;

  /** Sends {@code percent} of the requests to {@code canary} and the rest to the other slot. */
  Change weigh(Slot canary, int percent) throws IOException;

  /** Asks through the proxy until {@code slot} answers. */
  void verify(Slot slot) throws IOException;

  /**
   * Waits, at most {@code timeout}, until no request follows the routing before {@code change}; a
   * note when some still do (the change stands, and the old slot stays warm for them).
   */
  Optional<String> drain(Change change, Duration timeout) throws IOException;

  /**
   * A check, run on the host inside the command that changes a slot's container, that refuses
   * (prints {@code message}, exits {@code exit}) while the proxy sends {@code slot} any traffic,
   * alone or weighted, by what it runs or what was last written for it.
   */
  HostScript unlessServing(Slot slot, int exit, String message);
}
