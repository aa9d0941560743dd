package org.releaseengine.it;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Sends requests through nginx from several threads until stopped (or a time limit), with the JDK's
 * HttpClient. A request fails on an I/O error, a status other than 200, or a body that names none
 * of the expected versions.
 */
public final class LoadGenerator implements AutoCloseable {

  private final URI uri;
  private final Set<String> versions = ConcurrentHashMap.newKeySet();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong failed = new AtomicLong();
  private final AtomicReference<String> firstFailure = new AtomicReference<>();
  private final List<Thread> threads = new ArrayList<>();
  private final long deadlineNanos;
  private final long intervalNanos;
  private volatile boolean running = true;
  private volatile long startNanos;
  private volatile long stopNanos;
  private final java.util.Map<String, Long> lastSeenMs = new ConcurrentHashMap<>();
  private final java.util.Map<String, AtomicLong> answers = new ConcurrentHashMap<>();
  private volatile String watched;
  private volatile long watchedSeenNanos;

  public LoadGenerator(String url, int threadCount, Duration limit, String... expectedVersions) {
    this(url, threadCount, 0, limit, expectedVersions);
  }

  /**
   * {@code requestsPerSecond} > 0 paces the threads to that total rate; 0 sends as fast as they
   * can.
   */
  public LoadGenerator(
      String url,
      int threadCount,
      int requestsPerSecond,
      Duration limit,
      String... expectedVersions) {
    this.uri = URI.create(url);
    this.intervalNanos =
        requestsPerSecond <= 0 ? 0 : threadCount * 1_000_000_000L / requestsPerSecond;
    this.versions.addAll(List.of(expectedVersions));
    this.deadlineNanos = System.nanoTime() + limit.toNanos();
    HttpClient client =
        HttpClient.newBuilder()
            .connectTimeout(Duration.ofSeconds(2))
            .version(HttpClient.Version.HTTP_1_1)
            .build();
    for (int i = 0; i < threadCount; i++) {
      threads.add(new Thread(() -> loop(client), "load-" + i));
    }
  }

  public LoadGenerator start() {
    startNanos = System.nanoTime();
    threads.forEach(Thread::start);
    return this;
  }

  /** Adds a version whose answers count as good from now on. */
  public void expect(String version) {
    versions.add(version);
  }

  private void loop(HttpClient client) {
    HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(5)).build();
    long next = System.nanoTime();
    while (running && System.nanoTime() < deadlineNanos) {
      if (intervalNanos > 0) {
        next += intervalNanos;
        long wait = next - System.nanoTime();
        if (wait > 0) {
          java.util.concurrent.locks.LockSupport.parkNanos(wait);
        }
      }
      sent.incrementAndGet();
      try {
        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != 200
            || versions.stream().noneMatch(response.body()::contains)) {
          fail(response.statusCode() + " " + response.body().trim());
        } else {
          for (String version : versions) {
            if (response.body().contains(version)) {
              lastSeenMs.put(version, System.currentTimeMillis());
              answers.computeIfAbsent(version, v -> new AtomicLong()).incrementAndGet();
            }
          }
          if (watched != null && watchedSeenNanos == 0 && response.body().contains(watched)) {
            watchedSeenNanos = System.nanoTime();
          }
        }
      } catch (Exception e) {
        fail(e.toString());
      }
    }
  }

  private void fail(String why) {
    failed.incrementAndGet();
    firstFailure.compareAndSet(null, why);
  }

  /** Starts watching for the first good answer that names {@code version}. */
  public void watchFor(String version) {
    watchedSeenNanos = 0;
    watched = version;
  }

  /** When the watched version first answered (System.nanoTime), waiting up to {@code limit}. */
  public long awaitWatched(Duration limit) throws InterruptedException {
    long deadline = System.nanoTime() + limit.toNanos();
    while (watchedSeenNanos == 0 && System.nanoTime() < deadline) {
      Thread.sleep(1);
    }
    if (watchedSeenNanos == 0) {
      throw new IllegalStateException(watched + " never answered within " + limit);
    }
    return watchedSeenNanos;
  }

  /** When a good answer last named {@code version} (epoch ms), or 0. */
  public long lastSeenMs(String version) {
    return lastSeenMs.getOrDefault(version, 0L);
  }

  /**
   * How many good answers named {@code version} since the start or the last {@link #countAfresh()}.
   */
  public long answers(String version) {
    AtomicLong count = answers.get(version);
    return count == null ? 0 : count.get();
  }

  public void countAfresh() {
    answers.clear();
  }

  public long sent() {
    return sent.get();
  }

  public long failed() {
    return failed.get();
  }

  public String firstFailure() {
    return firstFailure.get();
  }

  public double requestsPerSecond() {
    long end = stopNanos == 0 ? System.nanoTime() : stopNanos;
    return sent.get() / ((end - startNanos) / 1e9);
  }

  @Override
  public void close() throws InterruptedException {
    running = false;
    for (Thread t : threads) {
      t.join(10_000);
    }
    stopNanos = System.nanoTime();
  }
}
