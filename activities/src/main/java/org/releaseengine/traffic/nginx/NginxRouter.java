package org.releaseengine.traffic.nginx;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.releaseengine.model.Slot;
import org.releaseengine.ssh.HostScript;
import org.releaseengine.ssh.HostShell;
import org.releaseengine.ssh.SshConnections.Result;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.traffic.TrafficRouter;

/**
 * nginx on the host, over SSH: the service's upstream include names the live slot (or weighs both);
 * a switch rewrites it, tests the configuration and reloads, and the old workers finish the
 * requests they hold.
 */
public final class NginxRouter implements TrafficRouter {

  /** Its name in the provider registry and in the operator's policy ({@code proxy.kind}). */
  public static final String KIND = "nginx";

  private static final int VERIFY_SECONDS = 10;
  private static final String OLD_WORKERS = "old-workers:";

  private final SlotTarget target;
  private final HostShell host;
  private final NginxCommands commands;

  public NginxRouter(SlotTarget target, HostShell host) {
    this.target = target;
    this.host = host;
    this.commands = new NginxCommands(target, host.host(), host.config());
  }

  @Override
  public Map<Slot, Integer> serving() throws IOException {
    Result read = host.step("read what nginx serves", commands.serving());
    return UpstreamLines.weights(read.stdout(), target.spec().slots());
  }

  @Override
  public Change switchTo(Slot slot) throws IOException {
    String what = "switch nginx to the " + slot.label() + " slot";
    return reloaded(host.step(what, commands.switchTo(slot)));
  }

  @Override
  public Change weigh(Slot canary, int percent) throws IOException {
    String what = "send " + percent + "% to the " + canary.label() + " slot";
    return reloaded(host.step(what, commands.weigh(canary, percent)));
  }

  /** The workers that ran before a reload, or none when nginx already ran these files. */
  private static Change reloaded(Result switched) {
    String out = switched.stdout().trim();
    return out.startsWith(OLD_WORKERS)
        ? new Change(Optional.of(out.substring(OLD_WORKERS.length()).trim()))
        : Change.NONE;
  }

  @Override
  public void verify(Slot slot) throws IOException {
    host.step("verify through nginx", commands.verify(slot, VERIFY_SECONDS));
  }

  /**
   * Once the old nginx workers have gone, no request follows the previous upstream any more. When
   * they outlive the timeout (long responses), the switch stands and the old slot, which stays warm
   * for the rollback window, finishes them: the note says so.
   */
  @Override
  public Optional<String> drain(Change change, Duration timeout) throws IOException {
    if (change.pending().isEmpty()) {
      return Optional.empty();
    }
    Result drained =
        host.run(
            "wait for the old nginx workers",
            NginxCommands.drain(change.pending().get(), (int) timeout.toSeconds()));
    return drained.ok()
        ? Optional.empty()
        : Optional.of(
            host.name()
                + ": old nginx workers still finishing requests after "
                + timeout.toSeconds()
                + " s; the previous slot stays warm for them");
  }

  @Override
  public HostScript unlessServing(Slot slot, int exit, String message) {
    return commands.unlessServing(slot, exit, message);
  }
}
