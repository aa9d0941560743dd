package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.ArrayList;
import java.util.List;
import org.releaseengine.model.Measurement;
import org.releaseengine.model.TrafficCount;

/**
 * Sent to the release while its canary runs: the step now running, the canary's share of requests,
 * and the measurements taken since the last report, the first of them being the canary's
 * measurement number {@code from} (counted from 0). The release keeps them all. A report sent by
 * earlier code has no {@code from} (read as 0) and carries every measurement so far, which the
 * release reads the same way. {@code traffic} (added later, null before and without any) is what
 * the load of the canary's latest analysis did.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DeployProgress(
    String orderId,
    String step,
    int weight,
    List<Measurement> measurements,
    int from,
    @JsonInclude(JsonInclude.Include.NON_NULL) TrafficCount traffic) {

  public DeployProgress(
      String orderId, String step, int weight, List<Measurement> measurements, int from) {
    this(orderId, step, weight, measurements, from, null);
  }

  /** The canary's measurements so far: {@code known}, with this report's from {@code from} on. */
  public List<Measurement> appendTo(List<Measurement> known) {
    List<Measurement> all = new ArrayList<>(known.subList(0, Math.min(from, known.size())));
    if (measurements != null) {
      all.addAll(measurements);
    }
    return all;
  }
}
