package org.releaseengine.verify;

import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.model.TrafficSpec;
import org.releaseengine.stage.TrafficActivities;

/**
 * Sends a verification's load as Flagger's load tester does: GETs of one path through the
 * environment's public URL (so nginx shares them between the slots as the deploy decided), evenly
 * spaced at the spec's rate for its duration. A request fails when it gets no answer within 5 s or
 * an answer of 400 or more; redirects are answers, not followed.
 */
public class TrafficSender implements TrafficActivities {

  private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(5);

  private final HttpClient http;

  /** Trusting {@code ssl}'s authorities for https URLs (RELEASE_PROXY_CA), or the JDK's (null). */
  public TrafficSender(SSLContext ssl) {
    http = HttpVerifier.client(ssl);
  }

  @Override
  public TrafficCount sendTraffic(TrafficRequest request) {
    ActivityExecutionContext activity = Activity.getExecutionContext();
    return send(request.url(), request.traffic(), activity::heartbeat);
  }

  /** The load, heartbeating {@code progress} about once a second (it throws when cancelled). */
  TrafficCount send(String url, TrafficSpec spec, Consumer<String> progress) {
    URI target = URI.create(url.replaceAll("/+$", "") + spec.path());
    long planned = spec.planned();
    long spacingNanos = TimeUnit.SECONDS.toNanos(1) / spec.rate();
    AtomicLong failed = new AtomicLong();
    List<CompletableFuture<?>> inFlight = new ArrayList<>();
    long start = System.nanoTime();
    long lastBeat = start;
    long sent = 0;
    for (; sent < planned; sent++) {
      long due = start + sent * spacingNanos;
      long wait = due - System.nanoTime();
      if (wait > 0) {
        sleep(wait);
      }
      HttpRequest request = HttpRequest.newBuilder(target).timeout(REQUEST_TIMEOUT).build();
      inFlight.add(
          http.sendAsync(request, HttpResponse.BodyHandlers.discarding())
              .handle(
                  (response, error) -> {
                    if (error != null || response.statusCode() >= 400) {
                      failed.incrementAndGet();
                    }
                    return null;
                  }));
      if (System.nanoTime() - lastBeat >= TimeUnit.SECONDS.toNanos(1)) {
        lastBeat = System.nanoTime();
        progress.accept(
            "traffic to "
                + target
                + ": "
                + (sent + 1)
                + " of "
                + planned
                + ", "
                + failed
                + " failed");
      }
    }
    CompletableFuture.allOf(inFlight.toArray(CompletableFuture[]::new)).join();
    progress.accept("traffic to " + target + ": " + sent + " sent, " + failed + " failed");
    return new TrafficCount(sent, failed.get(), null);
  }

  private static void sleep(long nanos) {
    try {
      TimeUnit.NANOSECONDS.sleep(nanos);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
