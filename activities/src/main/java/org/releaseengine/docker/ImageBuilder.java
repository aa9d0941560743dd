package org.releaseengine.docker;

import com.github.dockerjava.api.exception.DockerException;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.failure.ApplicationFailure;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Pattern;
import org.releaseengine.EngineNames;
import org.releaseengine.git.GitCheckout;
import org.releaseengine.model.ImageRef;
import org.releaseengine.process.OutputLines;
import org.releaseengine.process.OutputTail;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.registry.RegistryClient;
import org.releaseengine.registry.RegistryClient.RegistryRefused;
import org.releaseengine.registry.RegistryClient.RegistryUnavailable;
import org.releaseengine.stage.BuildActivities;
import org.releaseengine.stage.FailureTypes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds a sha's image once and pushes it; every later stage deploys the digest returned here. If
 * the registry already has {@code <repository>:<sha>} built from that sha, nothing is built again.
 */
public class ImageBuilder implements BuildActivities {

  public static final String REVISION_LABEL = "org.opencontainers.image.revision";

  /** The sha's commit time (epoch seconds), so that an image found already pushed still has it. */
  public static final String COMMIT_TIME_LABEL = "org.releaseengine.commit-time";

  static final String BUILD_FAILED = "BuildFailed";
  private static final Pattern SOURCE = Pattern.compile("(?!-)[^\\x00-\\x1f]+");
  private static final Logger log = LoggerFactory.getLogger(ImageBuilder.class);

  private final DockerEngine docker;
  private final RegistryAccess access;
  private final RegistryClient registry;
  private final AtomicInteger builds = new AtomicInteger();

  /** With the registry access of the worker's environment (RELEASE_REGISTRY_AUTH, _CA). */
  public ImageBuilder(DockerEngine docker) {
    this(docker, RegistryAccess.fromEnvironment(System.getenv()));
  }

  public ImageBuilder(DockerEngine docker, RegistryAccess access) {
    this.docker = docker;
    this.access = access;
    this.registry = new RegistryClient(access);
  }

  /** How many images this builder has built (not found in the registry). */
  public int builds() {
    return builds.get();
  }

  @Override
  public ImageRef buildImage(BuildRequest request) {
    validate(request);
    String repository = request.image().repository();
    String sha = request.sha();
    ActivityExecutionContext activity = Activity.getExecutionContext();
    try {
      ImageRef existing = alreadyPushed(repository, sha);
      if (existing != null) {
        log.info(
            "{}:{} is already in the registry as {}; not building",
            repository,
            sha,
            existing.digest());
        return existing;
      }
      long start = System.nanoTime();
      activity.heartbeat("checking out " + sha);
      Long commitTimeMs;
      try (GitCheckout source =
          GitCheckout.of(
              request.source().git(), sha, () -> activity.heartbeat("checking out " + sha))) {
        commitTimeMs = source.commitTimeMs();
        buildAndPush(request, source.root(), commitTimeMs, activity);
      }
      String digest =
          registry
              .digestOf(repository, sha)
              .orElseThrow(
                  () ->
                      new IOException(
                          "the registry does not show "
                              + repository
                              + ":"
                              + sha
                              + " after the push"));
      builds.incrementAndGet();
      log.info(
          "built and pushed {}@{} ({}) in {} ms",
          repository,
          digest,
          sha,
          (System.nanoTime() - start) / 1_000_000);
      return new ImageRef(repository, sha, digest, commitTimeMs);
    } catch (GitCheckout.SourceException e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), BUILD_FAILED);
    } catch (RegistryRefused e) {
      throw ApplicationFailure.newNonRetryableFailure(e.getMessage(), "RegistryRefused");
    } catch (RegistryUnavailable e) {
      throw ApplicationFailure.newFailure(e.getMessage(), "RegistryUnavailable");
    } catch (IOException e) {
      throw ApplicationFailure.newFailure(e.getMessage(), "BuildIO");
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw ApplicationFailure.newFailure("interrupted", "Interrupted");
    }
  }

  private ImageRef alreadyPushed(String repository, String sha) throws IOException {
    var digest = registry.digestOf(repository, sha);
    if (digest.isEmpty()) {
      return null;
    }
    boolean sameSource =
        registry.label(repository, sha, REVISION_LABEL).map(sha::equals).orElse(false);
    if (!sameSource) {
      return null;
    }
    Long commitTimeMs =
        registry
            .label(repository, sha, COMMIT_TIME_LABEL)
            .map(org.releaseengine.git.CommitTime::parseSeconds)
            .orElse(null);
    return new ImageRef(repository, sha, digest.get(), commitTimeMs);
  }

  private void buildAndPush(
      BuildRequest request, Path checkout, Long commitTimeMs, ActivityExecutionContext activity)
      throws InterruptedException {
    String repository = request.image().repository();
    String sha = request.sha();
    File context = checkout.resolve(request.source().context()).normalize().toFile();
    File dockerfile = new File(context, request.source().dockerfile());
    OutputTail output = new OutputTail(40);
    Map<String, String> labels = new java.util.HashMap<>();
    if (commitTimeMs != null) {
      labels.put(COMMIT_TIME_LABEL, Long.toString(commitTimeMs / 1000));
    }
    labels.putAll(
        Map.of(
            REVISION_LABEL,
            sha,
            "org.opencontainers.image.source",
            request.source().git(),
            "org.opencontainers.image.created",
            Instant.now().toString()));
    try {
      docker.build(
          context,
          dockerfile,
          repository + ":" + sha,
          labels,
          Map.of("REVISION", sha),
          output,
          line -> activity.heartbeat("building: " + line));
    } catch (DockerException | com.github.dockerjava.api.exception.DockerClientException e) {
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "docker build of " + sha + " failed: " + oneLine(e.getMessage()),
          BUILD_FAILED,
          null,
          output.toString());
    }
    try {
      docker.push(
          repository,
          sha,
          access.loginFor(RegistryClient.host(repository)).orElse(null),
          output,
          line -> activity.heartbeat("pushing: " + line));
    } catch (DockerException | com.github.dockerjava.api.exception.DockerClientException e) {
      throw ApplicationFailure.newFailureWithCause(
          "push to " + RegistryClient.host(repository) + " failed: " + oneLine(e.getMessage()),
          "PushFailed",
          null,
          output.toString());
    }
  }

  private static void validate(BuildRequest request) {
    if (request.sha() == null || !EngineNames.SHA_PREFIX.matcher(request.sha()).matches()) {
      throw badInput("malformed sha '" + request.sha() + "': 7 to 40 lowercase hex characters");
    }
    String repository = request.image() == null ? null : request.image().repository();
    if (repository == null || !EngineNames.REPOSITORY.matcher(repository).matches()) {
      throw badInput("unsafe or malformed image repository '" + repository + "'");
    }
    String git = request.source() == null ? null : request.source().git();
    if (git == null || !SOURCE.matcher(git).matches()) {
      throw badInput("malformed source location '" + git + "'");
    }
    for (String path : new String[] {request.source().context(), request.source().dockerfile()}) {
      if (path == null || path.startsWith("/") || Path.of(path).normalize().startsWith("..")) {
        throw badInput("path '" + path + "' leaves the checkout");
      }
    }
  }

  private static ApplicationFailure badInput(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, FailureTypes.BAD_INPUT);
  }

  private static String oneLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    return OutputLines.first(message).orElse(message).trim();
  }
}
