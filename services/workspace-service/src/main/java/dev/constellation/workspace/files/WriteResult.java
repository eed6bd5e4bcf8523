package dev.constellation.workspace.files;

/** What a write answers. */
public record WriteResult(String path, String etag, long size) {}
