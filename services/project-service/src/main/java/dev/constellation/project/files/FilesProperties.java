package dev.constellation.project.files;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where project directories live on disk.
 *
 * @param workspacesRoot parent of every project's directory (WORKSPACES_ROOT), shared with workspace-service
 */
@ConfigurationProperties(prefix = "constellation.files")
record FilesProperties(Path workspacesRoot) {}
