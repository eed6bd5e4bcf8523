package dev.constellation.gateway.frontend;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * The built UI the gateway serves in local mode.
 *
 * @param dir directory holding index.html and assets/ (FRONTEND_DIR); unset or missing = no UI
 */
@ConfigurationProperties(prefix = "constellation.frontend")
public record FrontendProperties(String dir) {}
