package org.releaseengine.environment;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.EnvironmentSpec;
import org.releaseengine.model.Slot;

/**
 * Everything an environment workflow knows, carried across continue-as-new: the environment's last
 * spec, each sha's deployment, which sha and slot are live, the warm slot, the recent operations,
 * the requests not yet handled, the order ids cancelled (tombstones), the lease a release holds and
 * what each host served when last read or changed, and how many of the oldest records it no longer
 * keeps (null from earlier code: none), its audit trail (null from earlier code: empty) and the
 * request ids of signed rollbacks whose signature verified (null from earlier code: none, their
 * operations telling).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record EnvironmentState(
    String service,
    String environment,
    EnvironmentSpec spec,
    Map<String, Deployment> deployments,
    String liveSha,
    Slot liveSlot,
    WarmSlot warm,
    List<Operation> operations,
    List<DeployOrder> pendingDeploys,
    List<RollbackRequest> pendingRollbacks,
    List<String> cancelledOrders,
    EnvironmentLease lease,
    Map<String, String> hosts,
    Forgotten forgotten,
    List<AuditEntry> audit,
    List<String> usedRequestIds) {

  public static EnvironmentState empty(String service, String environment) {
    return new EnvironmentState(
        service,
        environment,
        null,
        new LinkedHashMap<>(),
        null,
        null,
        null,
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        new ArrayList<>(),
        null,
        null,
        null,
        null,
        null);
  }
}
