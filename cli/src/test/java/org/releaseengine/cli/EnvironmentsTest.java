package org.releaseengine.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.releaseengine.EngineNames;

/** Which environments a service has: its running environment workflows, by their ids. */
class EnvironmentsTest {

  @WorkflowInterface
  public interface Waiting {
    @WorkflowMethod
    void run();
  }

  public static class WaitingImpl implements Waiting {
    @Override
    public void run() {
      Workflow.await(() -> false);
    }
  }

  private final TestWorkflowEnvironment temporal = TestWorkflowEnvironment.newInstance();

  @AfterEach
  void stop() {
    temporal.close();
  }

  @Test
  void theEnvironmentsOfAServiceAreItsRunningEnvironmentWorkflows() {
    temporal.newWorker("q").registerWorkflowImplementationTypes(WaitingImpl.class);
    temporal.start();
    WorkflowClient client = temporal.getWorkflowClient();
    for (String id :
        List.of(
            EngineNames.environmentId("shop", "dev"),
            EngineNames.environmentId("shop", "production-eu"),
            EngineNames.environmentId("shop-two", "staging"),
            EngineNames.releaseId("shop", "a".repeat(40)))) {
      WorkflowClient.start(
          client.newWorkflowStub(
                  Waiting.class,
                  WorkflowOptions.newBuilder().setTaskQueue("q").setWorkflowId(id).build())
              ::run);
    }
    Environments environments = new Environments(client);
    assertEquals(Set.of("dev", "production-eu"), new TreeSet<>(environments.of("shop")));
    assertEquals(List.of("staging"), environments.of("shop-two"));
    assertEquals(List.of(), environments.of("billing"));
  }
}
