package dev.constellation.workspace.config;

import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * Pausing idle workspaces (issue 12): a workspace without activity is first frozen, which keeps its
 * memory, terminals and servers and resumes in milliseconds, and is only stopped at
 * workspace.idle-timeout or when paused workspaces hold too much memory.
 *
 * @param after a running workspace without activity for this long is paused (WORKSPACE_IDLE_PAUSE);
 *     at or above workspace.idle-timeout it is never paused, only stopped
 * @param maxMemory memory all paused workspaces together may hold; over it the longest-paused are
 *     stopped first, their files kept (WORKSPACE_PAUSED_MAX_MEMORY)
 * @param busyCpus a workspace using more cores than this since the last check is busy (a build, a
 *     test run) and is not paused (WORKSPACE_PAUSE_BUSY_CPUS)
 */
@Validated
@ConfigurationProperties(prefix = "workspace.pause")
public record PauseProperties(
    @NotNull @DefaultValue("5m") Duration after,
    @NotNull @DefaultValue("4GB") DataSize maxMemory,
    @PositiveOrZero @DefaultValue("0.05") double busyCpus) {}
