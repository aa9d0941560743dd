package org.releaseengine.providers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.releaseengine.metrics.prometheus.PrometheusProvider;
import org.releaseengine.model.Slot;
import org.releaseengine.runtime.docker.DockerRuntime;
import org.releaseengine.ssh.HostShell;
import org.releaseengine.ssh.Shells;
import org.releaseengine.stage.DeployActivities.SlotTarget;
import org.releaseengine.traffic.TrafficRouter;
import org.releaseengine.traffic.nginx.NginxRouter;

/** The registry resolves each provider by its kind, and a host's router by the proxy it has. */
class ProvidersTest {

  private static final SlotTarget TARGET =
      Shells.target("hello-app", "127.0.0.1:5000/team/hello-app", "/healthz", Slot.BLUE);
  private static final HostShell HOST = new HostShell(Shells.HOST, Shells.CONFIG, null, s -> {});

  @Test
  void theStandardProvidersResolveByKind() {
    Providers providers = Providers.standard();
    assertEquals(Set.of("nginx"), providers.proxies());
    assertInstanceOf(NginxRouter.class, providers.router("nginx").on(TARGET, HOST));
    assertInstanceOf(NginxRouter.class, providers.routerOn("staging-1").on(TARGET, HOST));
    assertInstanceOf(DockerRuntime.class, providers.runtime("docker").on(TARGET, HOST));
    assertInstanceOf(PrometheusProvider.class, providers.metrics("prometheus"));
    assertSame(providers.metrics("prometheus"), providers.metrics("prometheus"));
  }

  @Test
  void eachHostHasTheRouterOfItsProxy() {
    TrafficRouter.Factory other = (target, host) -> null;
    Providers providers =
        Providers.standard()
            .router("haproxy", other)
            .proxiesBy(host -> host.equals("lb-1") ? "haproxy" : "nginx");
    assertSame(other, providers.routerOn("lb-1"));
    assertSame(providers.router("nginx"), providers.routerOn("web-1"));
  }

  @Test
  void aKindWithoutAProviderIsOneLineNamingThoseThereAre() {
    Providers providers = Providers.standard().proxiesBy(host -> "haproxy");
    assertEquals(
        "host web-1: proxy haproxy is not one this worker has [nginx]",
        assertThrows(Providers.Unknown.class, () -> providers.routerOn("web-1")).getMessage());
    assertEquals(
        "metric provider datadog is not one this worker has [prometheus]",
        assertThrows(Providers.Unknown.class, () -> providers.metrics("datadog")).getMessage());
    assertEquals(
        "container runtime podman is not one this worker has [docker]",
        assertThrows(Providers.Unknown.class, () -> providers.runtime("podman")).getMessage());
  }
}
