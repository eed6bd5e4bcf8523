package dev.constellation.workspace.checkpoint;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Positive;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Where checkpoints of projects' files are kept, and how many.
 *
 * @param dir folder of the shadow repositories, one bare repository per project
 *     (WORKSPACE_CHECKPOINTS_DIR); empty: {@code <WORKSPACES_ROOT>/.checkpoints}, next to the
 *     projects but in none of them (a project id never starts with a dot) and never mounted into a
 *     workspace
 * @param maxPerProject checkpoints kept per project (WORKSPACE_CHECKPOINTS_MAX); the oldest are
 *     dropped beyond it
 * @param maxBytes most bytes one project's checkpoints may take on disk
 *     (WORKSPACE_CHECKPOINTS_MAX_BYTES); a checkpoint whose files alone hold more is refused (507),
 *     older ones are dropped to make room
 */
@Validated
@ConfigurationProperties(prefix = "workspace.checkpoints")
record CheckpointProperties(
    @Nullable Path dir,
    @Positive @DefaultValue("20") int maxPerProject,
    @NotNull @DefaultValue("500MB") DataSize maxBytes) {}
