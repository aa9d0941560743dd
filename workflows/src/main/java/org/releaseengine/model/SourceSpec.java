package org.releaseengine.model;

/**
 * Where the source lives (a local path or a URL git can clone) and how the image is built from it.
 */
public record SourceSpec(String git, String context, String dockerfile) {}
