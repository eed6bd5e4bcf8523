package dev.constellation.workspace.files;

import dev.constellation.workspace.config.ProjectDirectories;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import org.springframework.stereotype.Component;

/**
 * Free and total bytes of the file system under WORKSPACES_ROOT (the project-workspaces volume,
 * which only this service touches), for the disk alert. "Free" is what this process may still
 * write, which is what matters when a project import or a build fills the volume.
 */
@Component
class WorkspacesDiskMetrics {

  WorkspacesDiskMetrics(ProjectDirectories directories, MeterRegistry meters) {
    File root = directories.root().toFile();
    Gauge.builder("constellation.workspaces.disk.free", root, File::getUsableSpace)
        .strongReference(true)
        .baseUnit("bytes")
        .description("Usable bytes left on the WORKSPACES_ROOT file system")
        .register(meters);
    Gauge.builder("constellation.workspaces.disk.total", root, File::getTotalSpace)
        .strongReference(true)
        .baseUnit("bytes")
        .description("Size of the WORKSPACES_ROOT file system")
        .register(meters);
  }
}
