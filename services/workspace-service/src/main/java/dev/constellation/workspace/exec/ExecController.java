package dev.constellation.workspace.exec;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.concurrency.ConcurrencyLimits;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.lifecycle.ActivityTracker;
import dev.constellation.workspace.lifecycle.LocalRuntimePolicy;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.runtime.ExecResult;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
class ExecController {
  /**
   * Audit keeps the start of a command only: enough to tell what ran, not a place for pasted
   * secrets.
   */
  private static final int AUDITED_COMMAND_CHARS = 200;

  record ExecRequest(
      @NotBlank @Size(max = 65536) String command, @Positive @Nullable Integer timeoutSeconds) {}

  private final ProjectGuard guard;
  private final LocalRuntimePolicy localPolicy;
  private final WorkspaceService workspaces;
  private final WorkspaceRuntime runtime;
  private final ActivityTracker activity;
  private final AuditPublisher audit;
  private final WorkspaceProperties.Exec limits;
  private final ConcurrencyLimits concurrency;
  private final Timer execTimer;

  ExecController(
      ProjectGuard guard,
      LocalRuntimePolicy localPolicy,
      WorkspaceService workspaces,
      WorkspaceRuntime runtime,
      ActivityTracker activity,
      AuditPublisher audit,
      WorkspaceProperties properties,
      ConcurrencyLimits concurrency,
      MeterRegistry meters) {
    this.concurrency = concurrency;
    this.guard = guard;
    this.localPolicy = localPolicy;
    this.workspaces = workspaces;
    this.runtime = runtime;
    this.activity = activity;
    this.audit = audit;
    this.limits = properties.exec();
    this.execTimer =
        Timer.builder("workspace.exec")
            .description("Commands run through the exec API")
            .publishPercentileHistogram()
            .register(meters);
  }

  @PostMapping("/api/projects/{projectId}/exec")
  ExecResult exec(
      @PathVariable String projectId,
      @Valid @RequestBody ExecRequest body,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    localPolicy.check(user);
    Duration timeout =
        body.timeoutSeconds() == null
            ? limits.defaultTimeout()
            : Duration.ofSeconds(body.timeoutSeconds());
    if (timeout.compareTo(limits.maxTimeout()) > 0) {
      throw ApiException.validation(
          "timeoutSeconds",
          "timeoutSeconds may be at most " + limits.maxTimeout().toSeconds() + ".");
    }
    String command = body.command();
    // Held until the command ends: the request thread and the engine connection are what is scarce.
    try (ConcurrencyLimits.Slot slot =
        concurrency.acquire(ConcurrencyLimits.Kind.EXEC, user.id(), projectId)) {
      return run(projectId, command, timeout, user);
    }
  }

  private ExecResult run(
      String projectId, String command, Duration timeout, AuthenticatedUser user) {
    audit.publish(
        "exec",
        user.id(),
        projectId,
        Map.of(
            "command",
            command.length() > AUDITED_COMMAND_CHARS
                ? command.substring(0, AUDITED_COMMAND_CHARS) + "…"
                : command));
    workspaces.ensureRunning(projectId);
    activity.touch(projectId);
    try {
      return execTimer.recordCallable(
          () -> runtime.exec(projectId, command, timeout, limits.maxOutputBytes()));
    } catch (WorkspaceRuntime.RuntimeUnavailableException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "workspace-unavailable",
          "Workspace unavailable",
          e.getMessage());
    } catch (RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      activity.touch(projectId);
    }
  }
}
