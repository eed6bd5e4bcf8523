package dev.constellation.project.template;

import java.nio.file.Path;
import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Where an installation adds its own templates.
 *
 * @param dir folder whose sub-folders are extra templates (TEMPLATES_DIR); may be absent
 */
@ConfigurationProperties(prefix = "constellation.templates")
record TemplateProperties(Path dir) {}
