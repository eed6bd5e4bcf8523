package dev.constellation.project.files;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where a project's files are kept.
 *
 * @param workspaceUrl workspace-service base URL (WORKSPACE_SERVICE_URL), owner of WORKSPACES_ROOT
 */
@ConfigurationProperties(prefix = "constellation.services")
record WorkspaceServiceProperties(URI workspaceUrl) {}
