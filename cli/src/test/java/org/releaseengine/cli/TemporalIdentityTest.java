package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

class TemporalIdentityTest {

  @Test
  void theClientsIdentityIsTheSdksDefaultPidAtHost() {
    assertEquals(ManagementFactory.getRuntimeMXBean().getName(), Temporal.clientIdentity());
  }
}
