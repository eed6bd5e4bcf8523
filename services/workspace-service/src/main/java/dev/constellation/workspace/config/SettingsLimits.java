package dev.constellation.workspace.config;

import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Positive;
import java.util.List;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * What a project's owner may choose for its workspace, set by the administrator.
 *
 * @param images images an owner may pick; the first one is what a project without a choice gets
 *     (WORKSPACE_IMAGES, comma-separated; default: WORKSPACE_IMAGE alone)
 * @param maxMemoryMb the most memory an owner may give a workspace (WORKSPACE_MAX_MEMORY_MB)
 * @param maxCpus the most CPU cores an owner may give a workspace (WORKSPACE_MAX_CPUS)
 */
@Validated
@ConfigurationProperties(prefix = "workspace.settings")
public record SettingsLimits(
    @NotEmpty @DefaultValue("constellation/workspace:local") List<String> images,
    @Positive @DefaultValue("4096") int maxMemoryMb,
    @Positive @DefaultValue("2") double maxCpus) {

  /** Below this a workspace does not even run a shell and a package manager. */
  public static final int MIN_MEMORY_MB = 256;

  /** Below this a workspace is too slow to be useful. */
  public static final double MIN_CPUS = 0.1;
}
