package org.releaseengine.traffic.nginx;

import java.util.EnumMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.releaseengine.model.Slot;
import org.releaseengine.model.SlotPorts;

/** Reads an upstream include's server lines back into slots and weights. */
final class UpstreamLines {

  private static final Pattern SERVER =
      Pattern.compile("^server 127\\.0\\.0\\.1:([0-9]+)(?: weight=([0-9]+))?;$");

  private UpstreamLines() {}

  /** Each slot nginx sends requests to, with its share in percent (100 when alone). */
  static Map<Slot, Integer> weights(String text, SlotPorts ports) {
    Map<Slot, Integer> weights = new EnumMap<>(Slot.class);
    for (String line : text.lines().map(String::trim).toList()) {
      Matcher server = SERVER.matcher(line);
      if (!server.matches()) {
        continue;
      }
      int port = Integer.parseInt(server.group(1));
      for (Slot slot : Slot.values()) {
        if (ports.portOf(slot) == port) {
          weights.put(slot, server.group(2) == null ? 100 : Integer.parseInt(server.group(2)));
        }
      }
    }
    if (weights.size() == 1) {
      weights.replaceAll((slot, weight) -> 100);
    }
    return weights;
  }
}
