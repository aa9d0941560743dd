package org.releaseengine.interleave;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.temporal.api.common.v1.Payloads;
import io.temporal.api.enums.v1.EventType;
import io.temporal.api.history.v1.HistoryEvent;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads an environment's history (every run) for a deploy scheduled after the environment took the
 * cancel of that sha's order: an abort that reached the environment and was lost. A deploy
 * scheduled before the cancel arrived is the abort's race, and the cancel must then end it; putting
 * the sha back later on a person's or a release's rollback is no deploy of the aborted order.
 */
final class CancelledOrders {

  private static final ObjectMapper JSON = new ObjectMapper();

  private CancelledOrders() {}

  /** The shas whose deploy was scheduled after their order's cancel, in order. */
  static List<String> deployedAfterCancel(List<HistoryEvent> events) {
    Map<String, String> orders = new HashMap<>(); // order id -> sha
    Set<String> cancelled = new HashSet<>();
    List<String> found = new ArrayList<>();
    for (HistoryEvent e : events) {
      if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED) {
        var signal = e.getWorkflowExecutionSignaledEventAttributes();
        JsonNode input = first(signal.getInput());
        switch (signal.getSignalName()) {
          case "deploy" -> {
            String sha = input.path("image").path("sha").asText();
            orders.put(input.path("orderId").asText(), sha);
            cancelled.remove(sha);
          }
          case "cancelOrder" -> {
            String sha = orders.get(input.asText());
            if (sha != null) {
              cancelled.add(sha);
            }
          }
          case "rollback" -> input.findValuesAsText("sha").forEach(cancelled::remove);
          default -> {}
        }
      } else if (e.getEventType() == EventType.EVENT_TYPE_WORKFLOW_EXECUTION_UPDATE_ACCEPTED) {
        var update = e.getWorkflowExecutionUpdateAcceptedEventAttributes().getAcceptedRequest();
        if (update.getInput().getName().equals("requestRollback")) {
          first(update.getInput().getArgs()).findValuesAsText("sha").forEach(cancelled::remove);
        }
      } else if (e.getEventType() == EventType.EVENT_TYPE_ACTIVITY_TASK_SCHEDULED) {
        var scheduled = e.getActivityTaskScheduledEventAttributes();
        if (scheduled.getActivityType().getName().equals("Deploy")) {
          String sha = first(scheduled.getInput()).path("image").path("sha").asText();
          if (cancelled.contains(sha)) {
            found.add(sha);
          }
        }
      }
    }
    return found;
  }

  private static JsonNode first(Payloads payloads) {
    if (payloads.getPayloadsCount() == 0) {
      return JSON.missingNode();
    }
    try {
      return JSON.readTree(payloads.getPayloads(0).getData().toByteArray());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
