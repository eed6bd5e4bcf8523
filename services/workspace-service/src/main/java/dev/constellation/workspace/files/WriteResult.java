package dev.constellation.workspace.files;

/** What a write answers. */
record WriteResult(String path, String etag, long size) {}
