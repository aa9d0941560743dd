package org.releaseengine.bluegreen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.temporal.failure.ApplicationFailure;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.releaseengine.model.HostSpec;
import org.releaseengine.providers.Providers;
import org.releaseengine.ssh.HostDirectory;
import org.releaseengine.ssh.StepFailed;
import org.releaseengine.stage.FailureTypes;

/** Which failures on a host retrying can help, and which it cannot. */
class DeployHostsTest {

  private static final HostSpec HOST =
      new HostSpec("staging-1", "127.0.0.1", 2222, "deploy", 18080);
  private final DeployHosts hosts =
      new DeployHosts(new HostDirectory(Map.of()), null, null, Providers.standard());

  @Test
  void aRefusedHostPathIsNeverRetried() {
    ApplicationFailure failure =
        hosts.failure(
            HOST,
            new StepFailed(
                StepFailed.REFUSED,
                "staging-1: host path /srv/volumes/x/root: /srv/volumes/x/root is a symbolic link"));
    assertTrue(failure.isNonRetryable());
    assertEquals(FailureTypes.REFUSED, failure.getType());
    assertEquals(
        "staging-1: host path /srv/volumes/x/root: /srv/volumes/x/root is a symbolic link",
        failure.getOriginalMessage());
  }

  @Test
  void aFailedStepMayBeRetried() {
    assertFalse(
        hosts.failure(HOST, new StepFailed(StepFailed.STEP, "pull failed")).isNonRetryable());
  }
}
