package dev.constellation.workspace.preview;

import jakarta.validation.constraints.NotNull;
import java.net.URI;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Port previews as workspace-service sees them.
 *
 * @param publicUrl scheme, preview domain and port the browser reaches previews at
 *     (PREVIEW_PUBLIC_URL, e.g. {@code http://preview.localhost:8000}); port P of project X is
 *     listed as {@code http://pP-X.preview.localhost:8000/}
 * @param scanInterval how often the listening ports of watched workspaces are read; a new port is
 *     announced within about twice this
 */
@Validated
@ConfigurationProperties(prefix = "preview")
record PreviewProperties(
    @NotNull @DefaultValue("http://preview.localhost:8000") URI publicUrl,
    @NotNull @DefaultValue("1s") Duration scanInterval) {}
