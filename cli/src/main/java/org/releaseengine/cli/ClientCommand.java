package org.releaseengine.cli;

import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import org.releaseengine.client.SignalWatch;
import org.releaseengine.model.ReleaseStatus;
import org.releaseengine.release.ReleaseWorkflow;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** What every command that talks to Temporal shares: the connection and the output streams. */
abstract class ClientCommand implements Callable<Integer> {

  @Spec CommandSpec spec;

  private WorkflowClient client;

  WorkflowClient client() {
    if (client == null) {
      client = Temporal.connect();
    }
    return client;
  }

  Releases releases() {
    return new Releases(client());
  }

  /**
   * Sends a signal to a running release, then watches its status until {@code effect} (given the
   * status from before the signal) shows or the release records a refusal; reports it as an exit
   * code.
   */
  int signalAndWatch(
      String workflowId,
      Consumer<ReleaseWorkflow> signal,
      Function<ReleaseStatus, Predicate<ReleaseStatus>> effect,
      Function<ReleaseStatus, String> acceptedLine) {
    ReleaseStatus before = releases().running(workflowId);
    signal.accept(releases().stub(workflowId));
    try {
      return Outcomes.report(
          SignalWatch.await(
              releases()::status, workflowId, before, effect.apply(before), acceptedLine),
          out());
    } catch (InterruptedException e) {
      throw Outcomes.interrupted();
    }
  }

  PrintWriter out() {
    return spec.commandLine().getOut();
  }

  PrintWriter err() {
    return spec.commandLine().getErr();
  }
}
