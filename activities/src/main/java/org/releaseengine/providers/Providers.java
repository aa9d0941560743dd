package org.releaseengine.providers;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SortedSet;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.Supplier;
import org.releaseengine.metrics.MetricProvider;
import org.releaseengine.metrics.prometheus.PrometheusProvider;
import org.releaseengine.runtime.ContainerRuntime;
import org.releaseengine.runtime.docker.DockerRuntime;
import org.releaseengine.traffic.TrafficRouter;
import org.releaseengine.traffic.nginx.NginxRouter;

/**
 * The providers the engine can use, by kind (as Argo Rollouts has them): traffic routers, container
 * runtimes and metric providers. A new provider is a folder beside its kind's interface and one
 * registration line in {@link #standard()}. A host's router is resolved by the kind of proxy it
 * has, at the time of each step.
 */
public final class Providers {

  /** The proxy of a host whose policy names none. */
  public static final String DEFAULT_PROXY = NginxRouter.KIND;

  /** The runtime of every host: nothing chooses another yet. */
  public static final String DEFAULT_RUNTIME = DockerRuntime.KIND;

  private final Map<String, TrafficRouter.Factory> routers = new LinkedHashMap<>();
  private final Map<String, ContainerRuntime.Factory> runtimes = new LinkedHashMap<>();
  private final Map<String, Supplier<MetricProvider>> metrics = new LinkedHashMap<>();
  private final Map<String, MetricProvider> metricsMade = new ConcurrentHashMap<>();
  private Function<String, String> proxyOfHost = host -> DEFAULT_PROXY;

  /** The providers this engine ships. */
  public static Providers standard() {
    return new Providers()
        .router(NginxRouter.KIND, NginxRouter::new)
        .runtime(DockerRuntime.KIND, DockerRuntime::new)
        .metrics(PrometheusProvider.KIND, PrometheusProvider::new);
  }

  public Providers router(String kind, TrafficRouter.Factory factory) {
    routers.put(kind, factory);
    return this;
  }

  public Providers runtime(String kind, ContainerRuntime.Factory factory) {
    runtimes.put(kind, factory);
    return this;
  }

  /** A metric provider, made on its first use and kept. */
  public Providers metrics(String kind, Supplier<MetricProvider> provider) {
    metrics.put(kind, provider);
    return this;
  }

  /**
   * Each host's proxy kind, by the host's name (the operator's policy); else every host's nginx.
   */
  public Providers proxiesBy(Function<String, String> proxyOfHost) {
    this.proxyOfHost = proxyOfHost;
    return this;
  }

  /** The router of the proxy on {@code host}. */
  public TrafficRouter.Factory routerOn(String host) {
    String kind = proxyOfHost.apply(host);
    TrafficRouter.Factory router = routers.get(kind);
    if (router == null) {
      throw new Unknown(
          "host " + host + ": proxy " + kind + " is not one this worker has " + routers.keySet());
    }
    return router;
  }

  public TrafficRouter.Factory router(String kind) {
    return find(routers, "proxy", kind);
  }

  public ContainerRuntime.Factory runtime(String kind) {
    return find(runtimes, "container runtime", kind);
  }

  public MetricProvider metrics(String kind) {
    Supplier<MetricProvider> made = find(metrics, "metric provider", kind);
    return metricsMade.computeIfAbsent(kind, k -> made.get());
  }

  /** The kinds of proxy this registry routes through, in order. */
  public SortedSet<String> proxies() {
    return Collections.unmodifiableSortedSet(new TreeSet<>(routers.keySet()));
  }

  private static <T> T find(Map<String, T> kinds, String what, String kind) {
    T found = kinds.get(kind);
    if (found == null) {
      throw new Unknown(what + " " + kind + " is not one this worker has " + kinds.keySet());
    }
    return found;
  }

  /** A kind no provider is registered for. */
  public static final class Unknown extends IllegalArgumentException {
    Unknown(String message) {
      super(message);
    }
  }
}
