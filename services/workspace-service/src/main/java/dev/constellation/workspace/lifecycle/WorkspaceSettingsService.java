package dev.constellation.workspace.lifecycle;

import dev.constellation.common.problem.ApiException;
import dev.constellation.workspace.config.SettingsLimits;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.runtime.ContainerSpec;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.springframework.stereotype.Service;

/**
 * Per-project image, memory and CPU, kept on the workspace record; the runtime applies them when it
 * next creates the container (a stop and start recreates it when they changed).
 */
@Service
class WorkspaceSettingsService {
  private final WorkspaceRepository repository;
  private final WorkspaceProperties properties;
  private final SettingsLimits limits;
  private final Clock clock;

  WorkspaceSettingsService(
      WorkspaceRepository repository,
      WorkspaceProperties properties,
      SettingsLimits limits,
      Clock clock) {
    this.repository = repository;
    this.properties = properties;
    this.limits = limits;
    this.clock = clock;
  }

  WorkspaceSettings get(String projectId) {
    return toSettings(repository.findById(projectId).orElse(null));
  }

  /** Checks the whole change first: one value out of range changes nothing. */
  WorkspaceSettings update(String projectId, WorkspaceSettings.Change change, String runtimeName) {
    if (change.image() != null && !images().contains(change.image()))
      throw ApiException.validation(
          "image", "image must be one of the installed images: " + String.join(", ", images()));
    if (change.memoryMb() != null
        && (change.memoryMb() < SettingsLimits.MIN_MEMORY_MB || change.memoryMb() > maxMemoryMb()))
      throw ApiException.validation(
          "memoryMb",
          "memoryMb must be between " + SettingsLimits.MIN_MEMORY_MB + " and " + maxMemoryMb());
    if (change.cpus() != null
        && (change.cpus().isNaN()
            || change.cpus() < SettingsLimits.MIN_CPUS
            || change.cpus() > maxCpus()))
      throw ApiException.validation(
          "cpus", "cpus must be between " + SettingsLimits.MIN_CPUS + " and " + maxCpus());
    WorkspaceRecord record =
        repository.findById(projectId).orElseGet(() -> new WorkspaceRecord(projectId, runtimeName));
    if (change.image() != null) record.image = change.image();
    if (change.memoryMb() != null) record.memoryMb = change.memoryMb();
    if (change.cpus() != null) record.cpus = change.cpus();
    record.updatedAt = clock.instant();
    repository.save(record);
    return toSettings(record);
  }

  /** What the runtime creates the container with: the owner's choices, still within the limits. */
  ContainerSpec spec(WorkspaceRecord record) {
    WorkspaceSettings s = toSettings(record);
    return new ContainerSpec(s.image(), s.memoryMb(), s.cpus());
  }

  private WorkspaceSettings toSettings(WorkspaceRecord record) {
    // A choice the administrator has since taken away falls back to the default.
    String image =
        record != null && record.image != null && images().contains(record.image)
            ? record.image
            : images().get(0);
    int memory =
        record != null && record.memoryMb != null
            ? Math.min(record.memoryMb, maxMemoryMb())
            : defaultMemoryMb();
    double cpus =
        record != null && record.cpus != null ? Math.min(record.cpus, maxCpus()) : defaultCpus();
    return new WorkspaceSettings(
        image,
        memory,
        cpus,
        new WorkspaceSettings.Limits(
            images(),
            SettingsLimits.MIN_MEMORY_MB,
            maxMemoryMb(),
            SettingsLimits.MIN_CPUS,
            maxCpus()));
  }

  /** The allowed images; the configured WORKSPACE_IMAGE is always among them. */
  private List<String> images() {
    List<String> images = new ArrayList<>();
    for (String image : limits.images()) {
      String trimmed = image.strip();
      if (!trimmed.isEmpty() && !images.contains(trimmed)) images.add(trimmed);
    }
    if (!images.contains(properties.image())) images.add(0, properties.image());
    return List.copyOf(images);
  }

  private int defaultMemoryMb() {
    return (int) (properties.limits().memoryBytes() / (1024 * 1024));
  }

  private double defaultCpus() {
    return properties.limits().cpus();
  }

  /** The administrator's maximum, never below the installation's default. */
  private int maxMemoryMb() {
    return Math.max(limits.maxMemoryMb(), defaultMemoryMb());
  }

  private double maxCpus() {
    return Math.max(limits.maxCpus(), defaultCpus());
  }
}
