package org.releaseengine.client;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Optional;

/**
 * Links to the Temporal Web UI's event history of a run, when TEMPORAL_UI_ADDRESS says where the UI
 * is ({@code host:port} or a URL): the one way release-cli's status and the worker's dashboard
 * write them.
 */
public record TemporalUi(String address) {

  public Optional<String> link(String namespace, String workflowId, String runId) {
    if (address == null || address.isBlank()) {
      return Optional.empty();
    }
    String base = address.contains("://") ? address : "http://" + address;
    base = base.endsWith("/") ? base.substring(0, base.length() - 1) : base;
    return Optional.of(
        base
            + "/namespaces/"
            + encode(namespace)
            + "/workflows/"
            + encode(workflowId)
            + "/"
            + encode(runId)
            + "/history");
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }
}
