package dev.constellation.workspace.git;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.concurrency.ConcurrencyLimits;
import dev.constellation.workspace.lifecycle.ActivityTracker;
import dev.constellation.workspace.lifecycle.LocalRuntimePolicy;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * Source control of a project: reads need a running workspace (409 {@code workspace-stopped}
 * otherwise, so the UI can offer Start), writes start it the way exec does.
 */
@RestController
class GitController {
  static final int MAX_LOG = 500;

  record PathsRequest(@NotNull @Size(max = 10_000) List<String> paths) {}

  record StageHunksRequest(
      @NotBlank String path,
      @NotNull @Size(max = 10_000) List<Integer> hunks,
      @Nullable Boolean unstage) {}

  record CommitRequest(@NotBlank @Size(max = 65_536) String message, @Nullable Boolean amend) {}

  record CreateBranchRequest(
      @NotBlank String name, @Nullable String from, @Nullable Boolean checkout) {}

  record CheckoutRequest(@NotBlank String branch) {}

  record RemoteRequest(
      @Nullable String remote, @Nullable String branch, @Nullable Boolean setUpstream) {}

  record MergeRequest(@NotBlank String branch) {}

  record CloneRequest(
      @NotBlank @Size(max = 2048) String url,
      @Nullable String branch,
      @Nullable String credentialId) {}

  private final ProjectGuard guard;
  private final LocalRuntimePolicy localPolicy;
  private final WorkspaceService workspaces;
  private final WorkspaceRuntime runtime;
  private final ActivityTracker activity;
  private final ConcurrencyLimits concurrency;
  private final AuditPublisher audit;
  private final GitService git;

  GitController(
      ProjectGuard guard,
      LocalRuntimePolicy localPolicy,
      WorkspaceService workspaces,
      WorkspaceRuntime runtime,
      ActivityTracker activity,
      ConcurrencyLimits concurrency,
      AuditPublisher audit,
      GitService git) {
    this.guard = guard;
    this.localPolicy = localPolicy;
    this.workspaces = workspaces;
    this.runtime = runtime;
    this.activity = activity;
    this.concurrency = concurrency;
    this.audit = audit;
    this.git = git;
  }

  @GetMapping("/api/projects/{projectId}/git/status")
  GitStatus status(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    return read(projectId, user, () -> git.status(projectId));
  }

  @GetMapping("/api/projects/{projectId}/git/diff")
  GitService.DiffResponse diff(
      @PathVariable String projectId,
      @RequestParam String path,
      @RequestParam(defaultValue = "false") boolean staged,
      @CurrentUser AuthenticatedUser user) {
    return read(projectId, user, () -> git.diff(projectId, path, staged));
  }

  @GetMapping("/api/projects/{projectId}/git/log")
  List<GitService.LogEntry> log(
      @PathVariable String projectId,
      @RequestParam(defaultValue = "50") int limit,
      @RequestParam(required = false) @Nullable String path,
      @CurrentUser AuthenticatedUser user) {
    if (limit < 1 || limit > MAX_LOG)
      throw ApiException.validation("limit", "limit is between 1 and " + MAX_LOG + ".");
    return read(projectId, user, () -> git.log(projectId, limit, path));
  }

  @GetMapping("/api/projects/{projectId}/git/branches")
  GitService.BranchesResponse branches(
      @PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    return read(projectId, user, () -> git.branches(projectId));
  }

  @PostMapping("/api/projects/{projectId}/git/init")
  GitStatus init(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    return write(
        projectId,
        user,
        "git.init",
        Map.of(),
        () -> {
          git.init(projectId);
          return git.status(projectId);
        });
  }

  @PostMapping("/api/projects/{projectId}/git/stage")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void stage(
      @PathVariable String projectId,
      @Valid @RequestBody PathsRequest body,
      @CurrentUser AuthenticatedUser user) {
    write(
        projectId,
        user,
        null,
        Map.of(),
        () -> {
          git.stage(projectId, body.paths());
          return null;
        });
  }

  @PostMapping("/api/projects/{projectId}/git/unstage")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void unstage(
      @PathVariable String projectId,
      @Valid @RequestBody PathsRequest body,
      @CurrentUser AuthenticatedUser user) {
    write(
        projectId,
        user,
        null,
        Map.of(),
        () -> {
          git.unstage(projectId, body.paths());
          return null;
        });
  }

  @PostMapping("/api/projects/{projectId}/git/stage-hunks")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void stageHunks(
      @PathVariable String projectId,
      @Valid @RequestBody StageHunksRequest body,
      @CurrentUser AuthenticatedUser user) {
    write(
        projectId,
        user,
        null,
        Map.of(),
        () -> {
          git.stageHunks(projectId, body.path(), body.hunks(), Boolean.TRUE.equals(body.unstage()));
          return null;
        });
  }

  @PostMapping("/api/projects/{projectId}/git/commit")
  GitService.CommitResponse commit(
      @PathVariable String projectId,
      @Valid @RequestBody CommitRequest body,
      @CurrentUser AuthenticatedUser user) {
    return write(
        projectId,
        user,
        "git.commit",
        Map.of("amend", String.valueOf(Boolean.TRUE.equals(body.amend()))),
        () -> git.commit(projectId, user, body.message(), Boolean.TRUE.equals(body.amend())));
  }

  @PostMapping("/api/projects/{projectId}/git/branches")
  @ResponseStatus(HttpStatus.CREATED)
  GitService.BranchesResponse createBranch(
      @PathVariable String projectId,
      @Valid @RequestBody CreateBranchRequest body,
      @CurrentUser AuthenticatedUser user) {
    return write(
        projectId,
        user,
        null,
        Map.of(),
        () -> {
          git.createBranch(
              projectId, body.name(), body.from(), Boolean.TRUE.equals(body.checkout()));
          return git.branches(projectId);
        });
  }

  @PostMapping("/api/projects/{projectId}/git/checkout")
  GitService.BranchesResponse checkout(
      @PathVariable String projectId,
      @Valid @RequestBody CheckoutRequest body,
      @CurrentUser AuthenticatedUser user) {
    return write(
        projectId,
        user,
        null,
        Map.of(),
        () -> {
          git.checkout(projectId, body.branch());
          return git.branches(projectId);
        });
  }

  @PostMapping("/api/projects/{projectId}/git/pull")
  GitService.OutputResponse pull(
      @PathVariable String projectId,
      @RequestBody(required = false) @Nullable RemoteRequest body,
      @CurrentUser AuthenticatedUser user) {
    RemoteRequest b = body == null ? new RemoteRequest(null, null, null) : body;
    return write(
        projectId,
        user,
        "git.pull",
        Map.of(),
        () -> git.pull(projectId, user, b.remote(), b.branch()));
  }

  @PostMapping("/api/projects/{projectId}/git/push")
  GitService.OutputResponse push(
      @PathVariable String projectId,
      @RequestBody(required = false) @Nullable RemoteRequest body,
      @CurrentUser AuthenticatedUser user) {
    RemoteRequest b = body == null ? new RemoteRequest(null, null, null) : body;
    return write(
        projectId,
        user,
        "git.push",
        Map.of(),
        () ->
            git.push(
                projectId, user, b.remote(), b.branch(), Boolean.TRUE.equals(b.setUpstream())));
  }

  @PostMapping("/api/projects/{projectId}/git/merge")
  GitService.MergeResponse merge(
      @PathVariable String projectId,
      @Valid @RequestBody MergeRequest body,
      @CurrentUser AuthenticatedUser user) {
    return write(
        projectId, user, "git.merge", Map.of(), () -> git.merge(projectId, user, body.branch()));
  }

  @PostMapping("/api/projects/{projectId}/git/merge/abort")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void abortMerge(@PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    write(
        projectId,
        user,
        null,
        Map.of(),
        () -> {
          git.abortMerge(projectId);
          return null;
        });
  }

  @PostMapping("/api/projects/{projectId}/git/clone")
  @ResponseStatus(HttpStatus.CREATED)
  GitService.CloneResponse clone(
      @PathVariable String projectId,
      @Valid @RequestBody CloneRequest body,
      @CurrentUser AuthenticatedUser user) {
    // Checked before the workspace starts (and after access: a stranger learns nothing): a bad
    // URL changes nothing.
    guard.require(user, projectId, ProjectAction.WRITE);
    GitUrls.requireValid(body.url());
    if (body.branch() != null) GitNames.requireBranch(body.branch(), "branch");
    return write(
        projectId,
        user,
        "git.clone",
        // Only the host: a URL may carry a user name, and audit is no place for more.
        Map.of("host", GitUrls.requireValid(body.url())),
        () -> git.clone(projectId, user, body.url(), body.branch(), body.credentialId()));
  }

  private <T> T read(String projectId, AuthenticatedUser user, Supplier<T> action) {
    guard.require(user, projectId, ProjectAction.READ);
    localPolicy.check(user);
    workspaces.resumeIfPaused(projectId);
    if (!runtime.isRunning(projectId)) {
      throw new ApiException(
          ProblemType.WORKSPACE_STOPPED,
          "The workspace is stopped; start it to see source control.");
    }
    try (ConcurrencyLimits.Slot slot =
        concurrency.acquire(ConcurrencyLimits.Kind.EXEC, user.id(), projectId)) {
      return action.get();
    }
  }

  private <T> T write(
      String projectId,
      AuthenticatedUser user,
      @Nullable String auditAction,
      Map<String, String> details,
      Supplier<T> action) {
    guard.require(user, projectId, ProjectAction.WRITE);
    localPolicy.check(user);
    try (ConcurrencyLimits.Slot slot =
        concurrency.acquire(ConcurrencyLimits.Kind.EXEC, user.id(), projectId)) {
      if (auditAction != null) audit.publish(auditAction, user.id(), projectId, details);
      workspaces.ensureRunning(projectId);
      activity.touch(projectId);
      try {
        return action.get();
      } finally {
        activity.touch(projectId);
      }
    }
  }
}
