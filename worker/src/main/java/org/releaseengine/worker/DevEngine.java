package org.releaseengine.worker;

import io.temporal.client.WorkflowClient;

/**
 * The embedded Temporal server with an engine worker beside it, in this JVM: {@code release-worker
 * --dev}, and every test and benchmark that runs the whole engine in-process.
 */
public final class DevEngine implements AutoCloseable {

  private final DevServer server;
  private final EngineWorker worker;

  private DevEngine(DevServer server, EngineWorker worker) {
    this.server = server;
    this.worker = worker;
  }

  /**
   * Starts the server on {@code port} of the loopback interface (0: any free port) and a worker
   * offering {@code activities}, talking to it in-process.
   */
  public static DevEngine start(int port, Object... activities) {
    DevServer server = DevServer.start(port);
    try {
      return new DevEngine(server, EngineWorker.startBeside(server, activities));
    } catch (RuntimeException e) {
      server.close();
      throw e;
    }
  }

  /** Where other processes reach the server: {@code 127.0.0.1:PORT}. */
  public String address() {
    return server.address();
  }

  /** What the worker says of the server it polls (the embedded Java one here). */
  public String server() {
    return worker.server();
  }

  public WorkflowClient client() {
    return worker.client();
  }

  @Override
  public void close() {
    worker.close();
    server.close();
  }
}
