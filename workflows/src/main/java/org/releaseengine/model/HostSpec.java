package org.releaseengine.model;

/**
 * A host reached over SSH. Only the address is here: keys, known_hosts and the host's Docker
 * endpoint come from the worker's configuration, keyed by {@code name}, never from the workflow
 * input.
 */
public record HostSpec(String name, String address, int port, String user, int nginxPort) {}
