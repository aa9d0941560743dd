package org.releaseengine.stage;

import io.temporal.activity.ActivityInterface;
import org.releaseengine.model.TrafficCount;
import org.releaseengine.model.TrafficSpec;

/** Sends a verification's bounded load of requests through an environment's public URL. */
@ActivityInterface
public interface TrafficActivities {

  record TrafficRequest(String url, TrafficSpec traffic) {}

  /** Sends the whole load (heartbeating) and counts it. */
  TrafficCount sendTraffic(TrafficRequest request);
}
