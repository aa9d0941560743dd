package org.releaseengine.worker;

import java.util.concurrent.CountDownLatch;

/** {@code bin/release-server}: the embedded Temporal server alone, so workers can come and go. */
public final class ServerMain {

  private ServerMain() {}

  public static void main(String[] args) throws InterruptedException {
    int port = args.length > 0 ? Integer.parseInt(args[0]) : DevServer.DEFAULT_PORT;
    DevServer server = DevServer.start(port);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.println(
        "release-server ready: Temporal at " + server.address() + " (namespace default)");
    stopped.await();
  }
}
