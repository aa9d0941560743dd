package org.releaseengine.cli;

import io.temporal.client.WorkflowClient;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
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

  // set when the command runs without picocli (ReleaseCli#plainStatus), else picocli's
  private PrintWriter out;
  private PrintWriter err;

  void streams(PrintWriter out, PrintWriter err) {
    this.out = out;
    this.err = err;
  }

  PrintWriter out() {
    return out != null ? out : spec.commandLine().getOut();
  }

  PrintWriter err() {
    return err != null ? err : spec.commandLine().getErr();
  }
}
