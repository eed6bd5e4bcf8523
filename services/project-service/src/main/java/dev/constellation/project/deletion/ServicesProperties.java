package dev.constellation.project.deletion;

import java.net.URI;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The services that keep something of a project and must forget it when it is deleted.
 *
 * @param workspaceUrl workspace-service base URL (WORKSPACE_SERVICE_URL): its container and state
 * @param claudeUrl claude-service base URL (CLAUDE_SERVICE_URL): its conversations
 */
@ConfigurationProperties(prefix = "constellation.services")
record ServicesProperties(URI workspaceUrl, URI claudeUrl) {}
