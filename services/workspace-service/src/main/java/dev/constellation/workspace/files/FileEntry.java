package dev.constellation.workspace.files;

import java.time.Instant;

/** One directory entry as listed by the API. */
record FileEntry(String name, String path, String type, long size, Instant modifiedAt) {}
