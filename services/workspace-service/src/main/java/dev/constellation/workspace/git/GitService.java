package dev.constellation.workspace.git;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.workspace.config.ProjectDirectories;
import dev.constellation.workspace.files.WorkingTree;
import dev.constellation.workspace.runtime.ProcessOutput;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/** The Source Control operations, each one or a few git commands run in the workspace. */
@Service
class GitService {
  /** Local commands (status, diff, commit...). */
  static final Duration LOCAL = Duration.ofSeconds(60);

  /** Commands that talk to a remote; a clone past this is stopped with 504. */
  static final Duration NETWORK = Duration.ofMinutes(5);

  private static final int BINARY_SNIFF_BYTES = 8000;

  record DiffResponse(
      String path, String original, String modified, boolean binary, List<HunkResponse> hunks) {}

  record HunkResponse(
      int index, String header, int oldStart, int oldLines, int newStart, int newLines) {}

  record CommitResponse(String sha, String summary) {}

  record LogEntry(
      String sha, List<String> parents, String author, String email, String date, String subject) {}

  record BranchResponse(String name, boolean remote, @Nullable String upstream, String sha) {}

  record BranchesResponse(@Nullable String current, List<BranchResponse> branches) {}

  record OutputResponse(String output) {}

  record MergeResponse(List<String> conflicts) {}

  record CloneResponse(@Nullable String branch, @Nullable String head) {}

  private final GitRunner git;
  private final GitCredentials credentials;
  private final WorkingTree workingTree;
  private final ProjectDirectories directories;
  private final WorkspaceRuntime runtime;

  GitService(
      GitRunner git,
      GitCredentials credentials,
      WorkingTree workingTree,
      ProjectDirectories directories,
      WorkspaceRuntime runtime) {
    this.git = git;
    this.credentials = credentials;
    this.workingTree = workingTree;
    this.directories = directories;
    this.runtime = runtime;
  }

  GitStatus status(String projectId) {
    ProcessOutput out =
        git.run(
            projectId,
            List.of("status", "--porcelain=v2", "-z", "--branch", "--untracked-files=all"),
            LOCAL,
            null,
            null);
    if (out.exitCode() != 0) {
      if (notARepository(out)) return GitStatus.notARepository();
      throw GitRunner.failed(out, null);
    }
    Path dotGit = directories.of(projectId).resolve(".git");
    boolean merging = false;
    boolean rebasing = false;
    // Read on the host, not followed: a .git that is a link or a file (worktrees) shows no state.
    if (Files.isDirectory(dotGit, LinkOption.NOFOLLOW_LINKS)) {
      merging = Files.exists(dotGit.resolve("MERGE_HEAD"), LinkOption.NOFOLLOW_LINKS);
      rebasing =
          Files.exists(dotGit.resolve("rebase-merge"), LinkOption.NOFOLLOW_LINKS)
              || Files.exists(dotGit.resolve("rebase-apply"), LinkOption.NOFOLLOW_LINKS);
    }
    return GitStatus.parse(out.stdoutText()).withOperations(merging, rebasing);
  }

  void init(String projectId) {
    git.git(projectId, List.of("init", "-q", "-b", "main"), LOCAL);
  }

  DiffResponse diff(String projectId, String path, boolean staged) {
    WorkingTree.requireValidPath(path);
    byte[] original;
    byte[] modified;
    if (staged) {
      original = blob(projectId, "HEAD:" + path);
      modified = blob(projectId, ":" + path);
    } else {
      original = blob(projectId, ":" + path);
      byte[] file = workingTree.readIfExists(projectId, path);
      modified = file == null ? new byte[0] : file;
    }
    boolean binary = isBinary(original) || isBinary(modified);
    List<HunkResponse> hunks = new ArrayList<>();
    if (!binary) {
      for (DiffHunks.Hunk h : hunks(projectId, path, staged).hunks()) {
        hunks.add(
            new HunkResponse(
                h.index(), h.header(), h.oldStart(), h.oldLines(), h.newStart(), h.newLines()));
      }
    }
    return new DiffResponse(
        path,
        binary ? "" : new String(original, StandardCharsets.UTF_8),
        binary ? "" : new String(modified, StandardCharsets.UTF_8),
        binary,
        hunks);
  }

  void stage(String projectId, List<String> paths) {
    List<String> args = new ArrayList<>(List.of("add", "-A", "--"));
    args.addAll(GitNames.requirePaths(paths));
    git.git(projectId, args, LOCAL);
  }

  void unstage(String projectId, List<String> paths) {
    // reset (not restore --staged) also works before the first commit.
    List<String> args = new ArrayList<>(List.of("reset", "-q", "--"));
    args.addAll(GitNames.requirePaths(paths));
    git.git(projectId, args, LOCAL);
  }

  void stageHunks(String projectId, String path, List<Integer> indexes, boolean unstage) {
    WorkingTree.requireValidPath(path);
    if (indexes == null || indexes.isEmpty())
      throw ApiException.validation("hunks", "Choose at least one hunk.");
    DiffHunks diff = hunks(projectId, path, unstage);
    Set<Integer> wanted = new HashSet<>(indexes);
    for (int i : wanted) {
      if (i < 0 || i >= diff.hunks().size())
        throw ApiException.validation(
            "hunks", "The file has " + diff.hunks().size() + " hunks now; reload its diff.");
    }
    byte[] patch = diff.patchOf(wanted).getBytes(StandardCharsets.UTF_8);
    List<String> args =
        new ArrayList<>(List.of("apply", "--cached", "--unidiff-zero", "--whitespace=nowarn"));
    if (unstage) args.add("--reverse");
    args.add("-");
    git.check(git.run(projectId, args, LOCAL, null, patch), null);
  }

  CommitResponse commit(String projectId, AuthenticatedUser user, String message, boolean amend) {
    List<String> args = new ArrayList<>(identity(user));
    args.addAll(List.of("commit", "--quiet", "-m", message));
    if (amend) args.add("--amend");
    git.git(projectId, args, LOCAL);
    String[] head =
        git.git(projectId, List.of("log", "-1", "--format=%H%x00%s"), LOCAL)
            .stdoutText()
            .strip()
            .split("\0", 2);
    return new CommitResponse(head[0], head.length > 1 ? head[1] : "");
  }

  List<LogEntry> log(String projectId, int limit, @Nullable String path) {
    List<String> args =
        new ArrayList<>(
            List.of(
                "log",
                "-n",
                String.valueOf(limit),
                "--format=%H%x1f%P%x1f%an%x1f%ae%x1f%aI%x1f%s%x1e"));
    if (path != null && !path.isEmpty()) {
      WorkingTree.requireValidPath(path);
      args.add("--");
      args.add(path);
    }
    ProcessOutput out = git.run(projectId, args, LOCAL, null, null);
    if (out.exitCode() != 0) {
      // A repository without commits has no log, which is not a failure to the panel.
      if (out.stderr().contains("does not have any commits yet")) return List.of();
      if (notARepository(out)) return List.of();
      throw GitRunner.failed(out, null);
    }
    List<LogEntry> entries = new ArrayList<>();
    for (String record : out.stdoutText().split("\u001e")) {
      String r = record.strip();
      if (r.isEmpty()) continue;
      String[] f = r.split("\u001f", -1);
      if (f.length < 6) continue;
      entries.add(
          new LogEntry(
              f[0], f[1].isEmpty() ? List.of() : List.of(f[1].split(" ")), f[2], f[3], f[4], f[5]));
    }
    return entries;
  }

  BranchesResponse branches(String projectId) {
    String current =
        git.git(projectId, List.of("branch", "--show-current"), LOCAL).stdoutText().strip();
    ProcessOutput refs =
        git.git(
            projectId,
            List.of(
                "for-each-ref",
                "--format=%(refname)%1f%(refname:short)%1f%(upstream:short)%1f%(objectname)",
                "refs/heads",
                "refs/remotes"),
            LOCAL);
    List<BranchResponse> branches = new ArrayList<>();
    for (String line : refs.stdoutText().split("\n")) {
      String[] f = line.split("\u001f", -1);
      if (f.length < 4) continue;
      boolean remote = f[0].startsWith("refs/remotes/");
      // origin/HEAD is a pointer to another remote branch, not a branch of its own.
      if (remote && f[0].endsWith("/HEAD")) continue;
      branches.add(new BranchResponse(f[1], remote, f[2].isEmpty() ? null : f[2], f[3]));
    }
    return new BranchesResponse(current.isEmpty() ? null : current, branches);
  }

  void createBranch(String projectId, String name, @Nullable String from, boolean checkout) {
    GitNames.requireBranch(name, "name");
    requireRefFormat(projectId, name);
    if (from != null) GitNames.requireBranch(from, "from");
    List<String> args =
        new ArrayList<>(
            checkout ? List.of("switch", "--quiet", "-c", name) : List.of("branch", name));
    if (from != null) args.add(from);
    git.git(projectId, args, LOCAL);
  }

  void checkout(String projectId, String branch) {
    GitNames.requireBranch(branch, "branch");
    git.git(projectId, List.of("switch", "--quiet", branch), LOCAL);
  }

  OutputResponse pull(
      String projectId, AuthenticatedUser user, @Nullable String remote, @Nullable String branch) {
    String r = GitNames.requireRemote(remote);
    GitRunner.Credential credential = credentialForRemote(projectId, user, r);
    List<String> args = new ArrayList<>(identity(user));
    args.addAll(network());
    args.addAll(List.of("pull", "--no-rebase", "--no-edit", r));
    if (branch != null) args.add(GitNames.requireBranch(branch, "branch"));
    return output(git.git(projectId, args, NETWORK, credential), credential);
  }

  OutputResponse push(
      String projectId,
      AuthenticatedUser user,
      @Nullable String remote,
      @Nullable String branch,
      boolean setUpstream) {
    String r = GitNames.requireRemote(remote);
    GitRunner.Credential credential = credentialForRemote(projectId, user, r);
    List<String> args = new ArrayList<>(network());
    args.add("push");
    if (setUpstream) args.add("--set-upstream");
    args.add(r);
    args.add(branch == null ? "HEAD" : GitNames.requireBranch(branch, "branch"));
    return output(git.git(projectId, args, NETWORK, credential), credential);
  }

  MergeResponse merge(String projectId, AuthenticatedUser user, String branch) {
    GitNames.requireBranch(branch, "branch");
    List<String> args = new ArrayList<>(identity(user));
    args.addAll(List.of("merge", "--no-edit", branch));
    ProcessOutput out = git.run(projectId, args, LOCAL, null, null);
    if (out.exitCode() == 0) return new MergeResponse(List.of());
    List<String> conflicts = conflicts(projectId);
    if (conflicts.isEmpty()) throw GitRunner.failed(out, null);
    return new MergeResponse(conflicts);
  }

  void abortMerge(String projectId) {
    git.git(projectId, List.of("merge", "--abort"), LOCAL);
  }

  CloneResponse clone(
      String projectId,
      AuthenticatedUser user,
      String url,
      @Nullable String branch,
      @Nullable String credentialId) {
    GitUrls.requireValid(url);
    if (branch != null) GitNames.requireBranch(branch, "branch");
    if (!workingTree.isEmpty(projectId)) {
      throw new ApiException(
          ProblemType.PROJECT_NOT_EMPTY,
          "A repository can only be cloned into an empty project; this one has files.");
    }
    GitRunner.Credential credential =
        credentials.forOperation(user, credentialId, url).orElse(null);
    List<String> args = new ArrayList<>(network());
    args.addAll(List.of("clone", "--quiet", "--no-recurse-submodules"));
    if (branch != null) args.addAll(List.of("--branch", branch));
    args.addAll(List.of("--", url, "."));
    try {
      git.git(projectId, args, NETWORK, credential);
    } catch (ApiException e) {
      // Leave the project as empty as it was: a failed clone can leave a partial .git behind.
      runtime.run(
          projectId, List.of("find", ".", "-mindepth", "1", "-delete"), new byte[0], LOCAL, 4096);
      throw e;
    }
    String current =
        git.git(projectId, List.of("branch", "--show-current"), LOCAL).stdoutText().strip();
    ProcessOutput head =
        git.run(projectId, List.of("rev-parse", "-q", "--verify", "HEAD"), LOCAL, null, null);
    String sha = head.exitCode() == 0 ? head.stdoutText().strip() : null;
    return new CloneResponse(current.isEmpty() ? null : current, sha);
  }

  // ---- helpers

  private GitRunner.@Nullable Credential credentialForRemote(
      String projectId, AuthenticatedUser user, String remote) {
    String url =
        git.git(projectId, List.of("remote", "get-url", remote), LOCAL).stdoutText().strip();
    return credentials.forOperation(user, null, url).orElse(null);
  }

  /**
   * Hooks and fsmonitor are programs from the project: while a credential is in the environment
   * only git itself runs, so code a co-editor planted in .git/hooks does not see the token.
   */
  private static List<String> network() {
    return List.of("-c", "core.hooksPath=/dev/null", "-c", "core.fsmonitor=false");
  }

  private static List<String> identity(AuthenticatedUser user) {
    String email = user.email();
    int at = email.indexOf('@');
    String name = at > 0 ? email.substring(0, at) : email;
    return List.of("-c", "user.name=" + name, "-c", "user.email=" + email);
  }

  private OutputResponse output(ProcessOutput out, GitRunner.@Nullable Credential credential) {
    String text = (out.stdoutText() + "\n" + out.stderr()).strip();
    return new OutputResponse(GitRunner.sanitize(text.isEmpty() ? "Done." : text, credential));
  }

  private List<String> conflicts(String projectId) {
    ProcessOutput out =
        git.run(
            projectId,
            List.of("diff-files", "--name-only", "--diff-filter=U", "-z"),
            LOCAL,
            null,
            null);
    List<String> paths = new ArrayList<>();
    for (String p : out.stdoutText().split("\0")) if (!p.isEmpty()) paths.add(p);
    return paths;
  }

  private void requireRefFormat(String projectId, String name) {
    ProcessOutput out =
        git.run(projectId, List.of("check-ref-format", "--branch", name), LOCAL, null, null);
    if (out.exitCode() != 0)
      throw ApiException.validation("name", "'" + name + "' is not a valid branch name.");
  }

  private DiffHunks hunks(String projectId, String path, boolean staged) {
    // Against the work tree, the plumbing diff-files: porcelain `git diff` refreshes and rewrites
    // the index (ignoring --no-optional-locks), which would take index.lock from a running commit.
    List<String> args =
        new ArrayList<>(
            List.of(
                staged ? "diff" : "diff-files",
                "-p",
                "--no-color",
                "--no-ext-diff",
                "--no-textconv",
                "-U0"));
    if (staged) args.add("--cached");
    args.add("--");
    args.add(path);
    return DiffHunks.parse(git.git(projectId, args, LOCAL).stdoutText());
  }

  /** A blob's bytes, or empty when it does not exist there (new, deleted, or no commit yet). */
  private byte[] blob(String projectId, String spec) {
    ProcessOutput out = git.run(projectId, List.of("cat-file", "blob", spec), LOCAL, null, null);
    if (out.exitCode() != 0) return new byte[0];
    if (out.truncated())
      throw new ApiException(
          ProblemType.FILE_TOO_LARGE, "The file is too large to show as a diff; use the terminal.");
    return out.stdout();
  }

  private static boolean isBinary(byte[] bytes) {
    int n = Math.min(bytes.length, BINARY_SNIFF_BYTES);
    for (int i = 0; i < n; i++) if (bytes[i] == 0) return true;
    return false;
  }

  private static boolean notARepository(ProcessOutput out) {
    return out.exitCode() == 128 && out.stderr().contains("not a git repository");
  }
}
