package org.releaseengine;

import io.temporal.failure.ApplicationFailure;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.releaseengine.model.EffectivePolicy;
import org.releaseengine.model.HostSpec;
import org.releaseengine.model.ReleaseSpec;
import org.releaseengine.stage.FailureTypes;
import org.releaseengine.stage.PolicyActivities;

/**
 * A stand-in operator policy for workflow tests: it admits every spec as written; its approvers
 * approve and promote; they and {@link #operators} may abort and roll back. With {@link #refusing}
 * it refuses every release and rollback.
 */
public class StandInPolicy implements PolicyActivities {

  public volatile List<String> operators = List.of("erin");
  public volatile boolean refusing;

  @Override
  public Admission admit(AdmissionRequest request) {
    ReleaseSpec spec = request.spec();
    if (refusing) {
      throw ApplicationFailure.newNonRetryableFailure(
          "requester: " + request.requester() + " may not start releases of " + spec.service(),
          FailureTypes.REFUSED);
    }
    List<String> approvers = spec.approval().approvers();
    List<String> deciders = new ArrayList<>(approvers);
    deciders.addAll(operators);
    Map<String, List<String>> hosts = new LinkedHashMap<>();
    spec.environments()
        .forEach(
            (name, env) ->
                hosts.put(
                    name,
                    env.hosts() == null
                        ? List.of()
                        : env.hosts().stream().map(HostSpec::name).toList()));
    return new Admission(
        spec,
        new EffectivePolicy(
            spec.service(),
            List.of(request.requester()),
            spec.approval(),
            deciders,
            deciders,
            approvers,
            hosts));
  }

  @Override
  public String rollbackRefusal(String service, String environment, String who) {
    return refusing ? who + " may not roll back " + service : null;
  }
}
