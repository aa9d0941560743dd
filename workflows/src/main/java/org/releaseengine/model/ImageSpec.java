package org.releaseengine.model;

/** The image repository, e.g. {@code 127.0.0.1:5000/hello-app}; tags are always the sha. */
public record ImageSpec(String repository) {}
