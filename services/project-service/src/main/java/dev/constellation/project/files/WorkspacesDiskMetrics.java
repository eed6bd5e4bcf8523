package dev.constellation.project.files;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import java.io.File;
import org.springframework.stereotype.Component;

/**
 * Free and total bytes of the file system under WORKSPACES_ROOT (the project-workspaces volume
 * that project- and workspace-service share), for the disk alert. "Free" is what this process may
 * still write, which is what matters when a project import or a build fills the volume.
 */
@Component
class WorkspacesDiskMetrics {

  WorkspacesDiskMetrics(ProjectFiles files, MeterRegistry meters) {
    File root = files.root().toFile();
    Gauge.builder("constellation.workspaces.disk.free", root, File::getUsableSpace)
        .strongReference(true).baseUnit("bytes").description("Usable bytes left on the WORKSPACES_ROOT file system").register(meters);
    Gauge.builder("constellation.workspaces.disk.total", root, File::getTotalSpace)
        .strongReference(true).baseUnit("bytes").description("Size of the WORKSPACES_ROOT file system").register(meters);
  }
}
