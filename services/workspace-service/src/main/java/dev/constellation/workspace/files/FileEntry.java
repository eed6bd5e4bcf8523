package dev.constellation.workspace.files;

import java.time.Instant;
import io.swagger.v3.oas.annotations.media.Schema;

/** One directory entry as listed by the API. */
record FileEntry(String name, String path, @Schema(allowableValues = {"file", "dir"}) String type, long size, Instant modifiedAt) {}
