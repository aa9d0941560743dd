package org.releaseengine.interleave;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Runs schedules one after another on one engine and sums them up. {@code java ...Interleavings N
 * [first-seed] [withheld-change-id,...]} runs N and prints each failing schedule's seed and steps,
 * then one summary line (bench/interleave.sh).
 */
public final class Interleavings {

  /** What a run of schedules found. */
  record Summary(
      int schedules,
      List<Long> failingSeeds,
      List<String> violations,
      int taskFailures,
      long maxHistoryBytes,
      long maxBytesPerMeasurement,
      long measurements,
      long millis) {

    String line() {
      return "interleave schedules="
          + schedules
          + " violations="
          + violations.size()
          + " task_failures="
          + taskFailures
          + " max_release_history_kb="
          + (maxHistoryBytes + 1023) / 1024
          + " history_bytes_per_measurement="
          + maxBytesPerMeasurement
          + " measurements="
          + measurements
          + " seconds="
          + millis / 1000;
    }
  }

  private Interleavings() {}

  /**
   * Runs {@code count} schedules from {@code firstSeed}, with {@code withheld} changes run as
   * before them; {@code stopAtFirst} ends at the first failing schedule.
   */
  static Summary run(
      long firstSeed, int count, Set<String> withheld, boolean stopAtFirst, boolean print) {
    long start = System.currentTimeMillis();
    String prefix = withheld.isEmpty() ? "s" : "w";
    int threads = Math.min(THREADS, count);
    java.util.concurrent.atomic.AtomicLong nextSeed =
        new java.util.concurrent.atomic.AtomicLong(firstSeed);
    java.util.concurrent.atomic.AtomicBoolean stop =
        new java.util.concurrent.atomic.AtomicBoolean();
    List<Schedule> done = java.util.Collections.synchronizedList(new ArrayList<>());
    java.util.concurrent.ExecutorService pool =
        java.util.concurrent.Executors.newFixedThreadPool(threads);
    List<java.util.concurrent.Future<?>> engines = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      engines.add(
          pool.submit(
              () -> {
                InterleavingEngine engine = new InterleavingEngine(withheld);
                try {
                  for (long seed = nextSeed.getAndIncrement();
                      seed < firstSeed + count && !stop.get();
                      seed = nextSeed.getAndIncrement()) {
                    if (engine.stalled) { // its clock is held: a new test server
                      engine.close();
                      engine = new InterleavingEngine(withheld);
                    }
                    engine.reset();
                    Schedule schedule = new Schedule(engine, seed, prefix);
                    try {
                      schedule.run();
                    } catch (RuntimeException broke) {
                      schedule.violations.add("the schedule broke: " + broke);
                    }
                    schedule.taskFailures = engine.taskFailures.size();
                    done.add(schedule);
                    report(schedule, done.size(), print);
                    if (!schedule.violations.isEmpty() && stopAtFirst) {
                      stop.set(true);
                    }
                  }
                } finally {
                  engine.close();
                }
              }));
    }
    for (var engine : engines) {
      try {
        engine.get();
      } catch (InterruptedException | java.util.concurrent.ExecutionException e) {
        throw new IllegalStateException(e);
      }
    }
    pool.shutdown();
    List<Long> failing = new ArrayList<>();
    List<String> violations = new ArrayList<>();
    int taskFailures = 0;
    long maxHistory = 0;
    long maxPerMeasurement = 0;
    long measurements = 0;
    for (Schedule s : done) {
      taskFailures += s.taskFailures;
      maxHistory = Math.max(maxHistory, s.maxHistoryBytes);
      maxPerMeasurement = Math.max(maxPerMeasurement, s.maxBytesPerMeasurement);
      measurements += s.measurements;
      if (!s.violations.isEmpty()) {
        failing.add(s.seed());
        s.violations.forEach(v -> violations.add("seed " + s.seed() + ": " + v));
      }
    }
    return new Summary(
        done.size(),
        failing,
        violations,
        taskFailures,
        maxHistory,
        maxPerMeasurement,
        measurements,
        System.currentTimeMillis() - start);
  }

  /** Engines side by side: each waits mostly on its test server, so they share two cores well. */
  private static final int THREADS = Integer.getInteger("interleave.threads", 4);

  private static synchronized void report(Schedule schedule, int ran, boolean print) {
    if (Boolean.getBoolean("interleave.verbose")) {
      System.out.println("seed=" + schedule.seed() + " ms=" + schedule.millis());
      schedule.log.forEach(l -> System.out.println("  step: " + l));
    }
    if (print && !schedule.violations.isEmpty()) {
      System.out.println("FAILED seed=" + schedule.seed() + " after " + ran + " schedules");
      schedule.log.forEach(l -> System.out.println("  step: " + l));
      schedule.violations.forEach(v -> System.out.println("  violation: " + v));
    }
  }

  public static void main(String[] args) {
    int count = Integer.parseInt(args[0]);
    long first = args.length > 1 ? Long.parseLong(args[1]) : 1;
    Set<String> withheld =
        args.length > 2 && !args[2].isBlank() ? Set.of(args[2].split(",")) : Set.of();
    Summary summary = run(first, count, withheld, !withheld.isEmpty(), true);
    System.out.println(summary.line());
    System.exit(summary.violations().isEmpty() ? 0 : 1);
  }
}
