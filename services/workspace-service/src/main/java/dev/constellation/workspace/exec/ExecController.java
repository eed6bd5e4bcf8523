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
import dev.constellation.workspace.runtime.RunningCommand;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Positive;
import jakarta.validation.constraints.Size;
import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;
import tools.jackson.databind.json.JsonMapper;

@RestController
class ExecController {
  /**
   * Audit keeps the start of a command only: enough to tell what ran, not a place for pasted
   * secrets.
   */
  private static final int AUDITED_COMMAND_CHARS = 200;

  static final String NDJSON = "application/x-ndjson";
  private static final Logger log = LoggerFactory.getLogger(ExecController.class);

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
  private final JsonMapper json = JsonMapper.builder().build();
  private final RunningStreams streams;

  ExecController(
      ProjectGuard guard,
      LocalRuntimePolicy localPolicy,
      WorkspaceService workspaces,
      WorkspaceRuntime runtime,
      ActivityTracker activity,
      AuditPublisher audit,
      WorkspaceProperties properties,
      ConcurrencyLimits concurrency,
      MeterRegistry meters,
      RunningStreams streams) {
    this.streams = streams;
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
    Duration timeout = admit(projectId, body, user);
    // Held until the command ends: the request thread and the engine connection are what is scarce.
    try (ConcurrencyLimits.Slot slot =
        concurrency.acquire(ConcurrencyLimits.Kind.EXEC, user.id(), projectId)) {
      prepare(projectId, body.command(), user, false);
      try {
        return execTimer.recordCallable(
            () -> runtime.exec(projectId, body.command(), timeout, limits.maxOutputBytes()));
      } catch (WorkspaceRuntime.RuntimeUnavailableException e) {
        throw unavailable(e);
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new IllegalStateException(e);
      } finally {
        activity.touch(projectId);
      }
    }
  }

  /**
   * As {@link #exec}, with the output streamed as NDJSON while the command runs. The command lives
   * only as long as the connection: when the client goes away (or the agent's Stop closes it) the
   * command's whole process group is killed.
   */
  // No `produces`: a refusal must still be written as application/problem+json.
  @PostMapping("/api/projects/{projectId}/exec/stream")
  @ApiResponse(
      responseCode = "200",
      description =
          "NDJSON: {stream: stdout|stderr, text} lines as output arrives (an empty stdout text is a"
              + " keep-alive), then {done: true, exitCode, timedOut, killedBy, truncated}",
      content = @Content(mediaType = NDJSON, schema = @Schema(implementation = String.class)))
  void stream(
      @PathVariable String projectId,
      @Valid @RequestBody ExecRequest body,
      @CurrentUser AuthenticatedUser user,
      HttpServletResponse response)
      throws IOException {
    Duration timeout = admit(projectId, body, user);
    try (ConcurrencyLimits.Slot slot =
        concurrency.acquire(ConcurrencyLimits.Kind.EXEC, user.id(), projectId)) {
      prepare(projectId, body.command(), user, true);
      var stream = new CommandStream(response.getOutputStream(), json, limits.maxOutputBytes());
      RunningCommand command;
      try {
        command = runtime.start(projectId, body.command(), timeout, stream.listener());
      } catch (WorkspaceRuntime.RuntimeUnavailableException e) {
        throw unavailable(e);
      }
      Timer.Sample sample = Timer.start();
      response.setStatus(200);
      response.setContentType(NDJSON);
      response.setHeader(HttpHeaders.CACHE_CONTROL, "no-store");
      // Proxies that buffer (nginx) pass each line on as it comes.
      response.setHeader("X-Accel-Buffering", "no");
      long[] lastTouch = {System.nanoTime()};
      try (RunningStreams.Running running = streams.add(command)) {
        stream.relay(
            command,
            running.stopped,
            () -> {
              // A long test run is activity: the idle reaper must not stop the workspace under it.
              if (System.nanoTime() - lastTouch[0] > TimeUnit.SECONDS.toNanos(30)) {
                activity.touch(projectId);
                lastTouch[0] = System.nanoTime();
              }
            });
      } catch (CommandStream.ClientGone gone) {
        log.info("exec stream in project {} closed by its client: command killed", projectId);
      } finally {
        sample.stop(execTimer);
        activity.touch(projectId);
      }
    }
  }

  /** Who may run what, and for how long: the same rules for both routes. */
  private Duration admit(String projectId, ExecRequest body, AuthenticatedUser user) {
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
    return timeout;
  }

  private void prepare(String projectId, String command, AuthenticatedUser user, boolean streamed) {
    audit.publish(
        "exec",
        user.id(),
        projectId,
        Map.of(
            "command",
            command.length() > AUDITED_COMMAND_CHARS
                ? command.substring(0, AUDITED_COMMAND_CHARS) + "…"
                : command,
            "streamed",
            String.valueOf(streamed)));
    try {
      workspaces.ensureRunning(projectId);
    } catch (WorkspaceRuntime.RuntimeUnavailableException e) {
      throw unavailable(e);
    }
    activity.touch(projectId);
  }

  private static ApiException unavailable(WorkspaceRuntime.RuntimeUnavailableException e) {
    return new ApiException(
        HttpStatus.SERVICE_UNAVAILABLE,
        "workspace-unavailable",
        "Workspace unavailable",
        e.getMessage());
  }
}
