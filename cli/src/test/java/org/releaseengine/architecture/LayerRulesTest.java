package org.releaseengine.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaCall;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.temporal.workflow.Workflow;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import java.util.Random;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

/**
 * The boundaries docs/architecture.md draws, as tests: workflows (the contract and the
 * deterministic orchestration) ← activities (one package per outside system) ← worker; the CLI sees
 * workflows only; no two packages use each other, however indirectly. The CLI's tests depend on
 * every module, so its test classpath holds all of the engine's production classes.
 */
@AnalyzeClasses(
    packages = "org.releaseengine",
    importOptions = {ImportOption.DoNotIncludeTests.class, LayerRulesTest.NoTestJars.class})
class LayerRulesTest {

  /** The workflows module: model, activity interfaces, workflow interfaces and implementations. */
  static final String[] WORKFLOWS = {
    "org.releaseengine",
    "org.releaseengine.model..",
    "org.releaseengine.stage..",
    "org.releaseengine.release..",
    "org.releaseengine.environment..",
    "org.releaseengine.analysis..",
    "org.releaseengine.admission..",
    "org.releaseengine.config..",
    "org.releaseengine.client..",
    "org.releaseengine.dora.."
  };

  /** The signing module: SSHSIG, allowed_signers, the decision payload; below the workflows. */
  static final String[] SIGNING = {"org.releaseengine.signing.."};

  /** Code that runs inside a workflow: the implementations and what they use. */
  static final String[] WORKFLOW_CODE = {
    "org.releaseengine.release..",
    "org.releaseengine.environment..",
    "org.releaseengine.analysis..",
    "org.releaseengine.admission..",
    "org.releaseengine.stage..",
    "org.releaseengine.model.."
  };

  /** The activities module: activity implementations, one package per outside system. */
  static final String[] ACTIVITIES = {
    "org.releaseengine.audit..",
    "org.releaseengine.bluegreen..",
    "org.releaseengine.docker..",
    "org.releaseengine.e2e..",
    "org.releaseengine.git..",
    "org.releaseengine.metrics..",
    "org.releaseengine.policy..",
    "org.releaseengine.process..",
    "org.releaseengine.providers..",
    "org.releaseengine.registry..",
    "org.releaseengine.runtime..",
    "org.releaseengine.scan..",
    "org.releaseengine.secrets..",
    "org.releaseengine.slack..",
    "org.releaseengine.tls..",
    "org.releaseengine.ssh..",
    "org.releaseengine.traffic..",
    "org.releaseengine.verify.."
  };

  static final String[] WORKER = {"org.releaseengine.worker.."};

  static final String[] CLI = {"org.releaseengine.cli..", "org.releaseengine.spec.."};

  /**
   * A value drawn inside {@code Workflow.sideEffect} is recorded in the history and read back on
   * replay. ReleaseWorkflowImpl draws its deploy orders' prefix so; ArchUnit attributes a lambda's
   * calls to the method holding it (and to the compiler's {@code $deserializeLambda$}). {@code
   * Workflow.randomUUID} would be the plain way, but changing the call changes the history, so it
   * waits for a {@code Workflow.getVersion}.
   */
  private static final DescribedPredicate<JavaCall<?>> INSIDE_SIDE_EFFECT =
      DescribedPredicate.describe(
          "in a method that draws it through Workflow.sideEffect",
          call ->
              call.getOrigin().getName().equals("$deserializeLambda$")
                  || call.getOrigin().getMethodCallsFromSelf().stream()
                      .anyMatch(
                          c ->
                              c.getTargetOwner().isEquivalentTo(Workflow.class)
                                  && c.getName().equals("sideEffect")));

  @ArchTest
  static final ArchRule everyClassBelongsToALayer =
      classes()
          .should()
          .resideInAnyPackage(concat(SIGNING, WORKFLOWS, ACTIVITIES, WORKER, CLI))
          .because("a new package must be placed in a layer here before the rules can guard it");

  @ArchTest
  static final ArchRule packagesFormNoCycles =
      slices()
          .matching("org.releaseengine.(*)..")
          .should()
          .beFreeOfCycles()
          .because(
              "a package is understood, tested and moved as a whole only if nothing it uses"
                  + " uses it back");

  @ArchTest
  static final ArchRule workflowsSeeNoActivityImplementations =
      noClasses()
          .that()
          .resideInAnyPackage(WORKFLOWS)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(concat(ACTIVITIES, WORKER, CLI))
          .because("workflows hold the contract; activities implement it");

  @ArchTest
  static final ArchRule cliSeesNoActivitiesNorWorker =
      noClasses()
          .that()
          .resideInAnyPackage(CLI)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(concat(ACTIVITIES, WORKER))
          .because("release-cli talks to Temporal through the workflows' interfaces only");

  @ArchTest
  static final ArchRule activitiesSeeNoWorker =
      noClasses()
          .that()
          .resideInAnyPackage(ACTIVITIES)
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(concat(WORKER, CLI))
          .because("the worker registers activities, never the other way round");

  @ArchTest
  static final ArchRule strategiesSeeProvidersThroughTheirInterfaces =
      noClasses()
          .that()
          .resideInAPackage("org.releaseengine.bluegreen..")
          .should()
          .dependOnClassesThat()
          .resideInAnyPackage(
              "org.releaseengine.traffic.*..",
              "org.releaseengine.runtime.*..",
              "org.releaseengine.metrics.*..")
          .because(
              "the worker chooses each host's proxy and runtime by kind (Providers): blue-green and"
                  + " canary work with any of them");

  @ArchTest
  static final ArchRule signingStandsAlone =
      classes()
          .that()
          .resideInAnyPackage(SIGNING)
          .should()
          .onlyDependOnClassesThat()
          .resideInAnyPackage(
              concat(
                  SIGNING,
                  new String[] {"java..", "javax..", "com.fasterxml.jackson.annotation.."}))
          .because(
              "signed decisions are checked by the CLI, the worker and workflow code alike, on the"
                  + " JDK alone (Jackson's annotations keep the JSON of those in histories)");

  @ArchTest
  static final ArchRule workflowCodeIsDeterministic =
      noClasses()
          .that()
          .resideInAnyPackage(WORKFLOW_CODE)
          .should()
          .callCodeUnitWhere(
              calling(Thread.class, "sleep")
                  .or(calling(System.class, "currentTimeMillis"))
                  .or(calling(System.class, "nanoTime"))
                  .or(calling(Instant.class, "now"))
                  .or(
                      calling(UUID.class, "randomUUID")
                          .and(DescribedPredicate.not(INSIDE_SIDE_EFFECT)))
                  .or(calling(Random.class, "<init>"))
                  .or(calling(SecureRandom.class, "<init>"))
                  .or(calling(ThreadLocalRandom.class, "current"))
                  .or(calling(Math.class, "random")))
          .because(
              "a workflow replays from its history: use Workflow.sleep, Workflow.currentTimeMillis,"
                  + " Workflow.randomUUID and Workflow.newRandom");

  private static DescribedPredicate<JavaCall<?>> calling(Class<?> owner, String name) {
    return DescribedPredicate.describe(
        owner.getSimpleName() + (name.equals("<init>") ? " constructor" : "." + name),
        call -> call.getTargetOwner().isEquivalentTo(owner) && call.getName().equals(name));
  }

  private static String[] concat(String[]... layers) {
    return Arrays.stream(layers).flatMap(Arrays::stream).toArray(String[]::new);
  }

  /** Test jars of the reactor (the stand-in stages, the infra helpers) are not production code. */
  static final class NoTestJars implements ImportOption {
    @Override
    public boolean includes(Location location) {
      return !location.matches(Pattern.compile(".*-tests\\.jar.*"));
    }
  }
}
