package org.releaseengine.environment;

import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import org.releaseengine.analysis.MetricAnalysis;
import org.releaseengine.model.CanarySpec;
import org.releaseengine.model.CanaryStep;
import org.releaseengine.model.ConfigPrint;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.VerificationSpec;
import org.releaseengine.stage.CanaryActivities;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.stage.StageOptions;

/**
 * The steps of one canary, in workflow code: start the canary slot beside the stable one, then set
 * weights, pause (durable timers that a promote cuts short) and analyse the canary slot's metrics.
 * It ends with both slots serving; the environment workflow then promotes the canary or takes it
 * back.
 */
final class CanaryRollout {

  private final CanaryActivities canary =
      Workflow.newActivityStub(CanaryActivities.class, StageOptions.deploy());
  private final MetricAnalysis analysis = new MetricAnalysis(this::report);
  private final String orderId;
  private final Consumer<DeployProgress> onProgress;
  private String step = "starting the canary slot";

  /** The configuration the canary slot started with (keyed fingerprints), once it has. */
  private ConfigPrint started;

  private int weight;

  /** How many measurements earlier reports carried: the next one carries only those after. */
  private int reported;

  CanaryRollout(String orderId, Consumer<DeployProgress> onProgress) {
    this.orderId = orderId;
    this.onProgress = onProgress;
  }

  /** Null when every step passed; otherwise why the canary has to go. */
  String run(
      CanarySpec spec, VerificationSpec verification, SlotTarget target, BooleanSupplier promoted) {
    report();
    started = canary.startCanary(target);
    List<CanaryStep> steps = spec.steps();
    for (int i = 0; i < steps.size(); i++) {
      CanaryStep next = steps.get(i);
      step = "step " + (i + 1) + " of " + steps.size() + ": " + next.describe();
      report();
      switch (next.kind()) {
        case SET_WEIGHT -> {
          canary.setCanaryWeight(target, next.weight());
          weight = next.weight();
          report();
        }
        case PAUSE -> pause(next.pause(), promoted);
        case ANALYSIS -> {
          String failure =
              analysis.run(
                  only(verification, next.checks()), target.slot().label(), target.spec().url());
          if (failure != null) {
            return "canary analysis at " + weight + "% failed: " + failure;
          }
        }
        default -> throw new IllegalArgumentException("unknown canary step " + next.kind());
      }
    }
    step = "promoting the canary to 100%";
    report();
    return null;
  }

  /** A pause ends when its time is up or when someone promotes; an open-ended one only then. */
  ConfigPrint started() {
    return started;
  }

  private static void pause(Duration duration, BooleanSupplier promoted) {
    if (promoted.getAsBoolean()) {
      return;
    }
    if (duration == null) {
      Workflow.await(promoted::getAsBoolean);
    } else {
      Workflow.await(duration, promoted::getAsBoolean);
    }
  }

  private static VerificationSpec only(VerificationSpec verification, List<String> names) {
    if (names == null || names.isEmpty()) {
      return verification;
    }
    return new VerificationSpec(
        verification.prometheus(),
        verification.checks().stream().filter(c -> names.contains(c.name())).toList(),
        verification.traffic());
  }

  private void report() {
    List<Measurement> all = analysis.measurements();
    onProgress.accept(
        new DeployProgress(
            orderId,
            step,
            weight,
            List.copyOf(all.subList(reported, all.size())),
            reported,
            analysis.traffic()));
    reported = all.size();
  }
}
