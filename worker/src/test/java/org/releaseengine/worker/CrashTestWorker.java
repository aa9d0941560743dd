package org.releaseengine.worker;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import org.releaseengine.StandInNotifier;
import org.releaseengine.StandInPolicy;
import org.releaseengine.StandInStages;

/**
 * A worker process for {@link WorkerCrashIT}: the engine's workflows over stand-in stages whose
 * deploy takes a few seconds (heartbeating), so that the test can kill it mid-deploy.
 */
public final class CrashTestWorker {

  private CrashTestWorker() {}

  public static void main(String[] args) throws InterruptedException {
    StandInStages stages =
        new StandInStages() {
          @Override
          public DeployReport deploy(SlotTarget target) {
            System.out.println(
                "deploy started: " + target.environment() + " " + target.slot().label());
            DeployReport report = super.deploy(target);
            System.out.println("deploy finished: " + target.environment());
            return report;
          }
        };
    stages.deployTime = Duration.ofSeconds(Long.parseLong(args[1]));
    EngineWorker.start(args[0], "default", stages, new StandInNotifier(), new StandInPolicy());
    System.out.println("crash-test worker ready");
    new CountDownLatch(1).await();
  }
}
