package org.releaseengine.docker;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.BuildImageResultCallback;
import com.github.dockerjava.api.exception.DockerClientException;
import com.github.dockerjava.api.model.AuthConfig;
import com.github.dockerjava.api.model.BuildResponseItem;
import com.github.dockerjava.api.model.PushResponseItem;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.io.File;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import org.releaseengine.process.OutputTail;
import org.releaseengine.registry.RegistryAccess;
import org.releaseengine.registry.RegistryClient;

/** The Docker engine the worker builds with (DOCKER_HOST), through docker-java. */
public final class DockerEngine {

  private final DockerClient docker;

  public DockerEngine(String dockerHost) {
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder().withDockerHost(dockerHost).build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .connectionTimeout(Duration.ofSeconds(10))
            .responseTimeout(Duration.ofMinutes(30))
            .build();
    docker = DockerClientImpl.getInstance(config, http);
  }

  public DockerClient client() {
    return docker;
  }

  /** The network of a build's RUN steps: none. */
  public static final String BUILD_NETWORK = "none";

  /**
   * {@code docker build} of {@code context} with {@code dockerfile}; returns the image id. On
   * failure, throws with the engine's reason; {@code output} holds the last lines of the build.
   */
  public String build(
      File context,
      File dockerfile,
      String tag,
      Map<String, String> labels,
      Map<String, String> buildArgs,
      OutputTail output,
      Consumer<String> progress) {
    var command =
        docker
            .buildImageCmd()
            .withBaseDirectory(context)
            .withDockerfile(dockerfile)
            .withTags(Set.of(tag))
            .withLabels(labels)
            .withPull(false)
            // RUN steps get no network at all: the engine pulls FROM images itself, and a step
            // with the engine's own network would reach the worker's services (Temporal, the
            // dashboard, Slack's endpoint) on its loopback; set here, not left to the daemon's
            // default bridge, so no Dockerfile and no daemon configuration can widen it
            .withNetworkMode(BUILD_NETWORK)
            .withRemove(true)
            .withForcerm(true);
    buildArgs.forEach(command::withBuildArg);
    return command
        .exec(
            new BuildImageResultCallback() {
              @Override
              public void onNext(BuildResponseItem item) {
                if (item.getStream() != null) {
                  output.add(item.getStream());
                  progress.accept(output.last());
                }
                if (item.isErrorIndicated() && item.getErrorDetail() != null) {
                  output.add(item.getErrorDetail().getMessage() + "\n");
                }
                super.onNext(item);
              }
            })
        .awaitImageId(30, TimeUnit.MINUTES);
  }

  /**
   * Pushes {@code repository:tag}. docker-java's callback does not throw when the engine reports a
   * push error in the stream, so every item is checked here.
   */
  public void push(
      String repository,
      String tag,
      RegistryAccess.Login login,
      OutputTail output,
      Consumer<String> progress)
      throws InterruptedException {
    AtomicReference<String> error = new AtomicReference<>();
    var command = docker.pushImageCmd(repository).withTag(tag);
    if (login != null) { // sent to the engine in the X-Registry-Auth header, never logged
      command.withAuthConfig(
          new AuthConfig()
              .withRegistryAddress(RegistryClient.host(repository))
              .withUsername(login.username())
              .withPassword(login.password()));
    }
    command
        .exec(
            new ResultCallback.Adapter<PushResponseItem>() {
              @Override
              public void onNext(PushResponseItem item) {
                if (item.isErrorIndicated()) {
                  error.compareAndSet(
                      null,
                      item.getErrorDetail() != null && item.getErrorDetail().getMessage() != null
                          ? item.getErrorDetail().getMessage()
                          : String.valueOf(item.getError()));
                } else if (item.getStatus() != null) {
                  output.add(item.getStatus() + "\n");
                  progress.accept(item.getStatus());
                }
              }
            })
        .awaitCompletion(30, TimeUnit.MINUTES);
    if (error.get() != null) {
      throw new DockerClientException(
          "push of " + repository + ":" + tag + " failed: " + error.get());
    }
  }
}
