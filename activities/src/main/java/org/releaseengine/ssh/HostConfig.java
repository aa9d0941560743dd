package org.releaseengine.ssh;

import java.nio.file.Path;

/**
 * What the worker knows about one host, by the name release.yaml gives it: the SSH key and
 * known_hosts to reach it, the Docker endpoint its commands use, and its nginx prefix. Never
 * workflow input.
 */
public record HostConfig(
    String name, Path privateKey, Path knownHosts, String dockerHost, String nginxPrefix) {}
