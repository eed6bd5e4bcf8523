package dev.constellation.workspace.files;

import io.swagger.v3.oas.annotations.media.Schema;
import java.time.Instant;

/** One directory entry as listed by the API. */
record FileEntry(
    String name,
    String path,
    @Schema(allowableValues = {"file", "dir"}) String type,
    long size,
    Instant modifiedAt) {}
