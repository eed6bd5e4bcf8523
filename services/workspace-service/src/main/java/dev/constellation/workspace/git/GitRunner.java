package dev.constellation.workspace.git;

import dev.constellation.common.problem.ApiException;
import dev.constellation.common.problem.ProblemType;
import dev.constellation.workspace.runtime.ProcessOutput;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/**
 * Runs git inside the workspace through {@link WorkspaceRuntime#run}: argv without a shell between
 * the API and git, a fixed environment that allows only http(s) and ssh transports, and a
 * credential that reaches git only through the command's stdin, for that one command.
 */
@Component
class GitRunner {
  /** Enough for a diff of a file the files API would open (10 MB) on both sides. */
  static final int MAX_OUTPUT_BYTES = 24 * 1024 * 1024;

  /**
   * The fixed prelude. Credentials arrive as three lines on stdin (kind, user, secret in base64)
   * and live only in this process tree's environment; git asks for them through a helper that
   * prints variables, never values written to a file, the URL or .git/config.
   */
  private static final String PRELUDE =
      """
      export GIT_ALLOW_PROTOCOL=http:https:ssh GIT_TERMINAL_PROMPT=0 GIT_LITERAL_PATHSPECS=1 \
        GIT_CEILING_DIRECTORIES="${PWD%/*}" LC_ALL=C GIT_PAGER=cat GIT_EDITOR=true \
        GIT_SSH_COMMAND="ssh -o BatchMode=yes -o StrictHostKeyChecking=accept-new"
      IFS=' ' read -r kind length || exit 96
      if [ "$kind" != none ]; then IFS= read -r user; IFS= read -r secret; fi
      # The engine may keep stdin open after the bytes: read exactly what was announced.
      run_git() {
        if [ "$length" -gt 0 ]; then git "$@" < <(head -c "$length"); else git "$@" </dev/null; fi
      }
      if [ "$kind" = https-token ]; then
        CONSTELLATION_GIT_USER=$(printf %s "$user" | base64 -d)
        CONSTELLATION_GIT_TOKEN=$(printf %s "$secret" | base64 -d)
        export CONSTELLATION_GIT_USER CONSTELLATION_GIT_TOKEN
        run_git -c credential.helper= \
          -c 'credential.helper=!f() { test "$1" = get || exit 0; echo "username=$CONSTELLATION_GIT_USER"; echo "password=$CONSTELLATION_GIT_TOKEN"; }; f' "$@"
      elif [ "$kind" = ssh-key ]; then
        agent=$(mktemp -d) || exit 97
        eval "$(ssh-agent -s -a "$agent/socket")" >/dev/null || exit 97
        trap 'kill "$SSH_AGENT_PID" 2>/dev/null; rm -rf "$agent"' EXIT
        printf %s "$secret" | base64 -d | ssh-add -q - 2>/dev/null || exit 97
        run_git "$@"
      else
        run_git "$@"
      fi
      """;

  /** What git may use to authenticate, for one command. */
  record Credential(String kind, String username, String secret) {}

  private final WorkspaceRuntime runtime;

  GitRunner(WorkspaceRuntime runtime) {
    this.runtime = runtime;
  }

  /** Runs git; a non-zero exit becomes a 422 {@code git-failed} with git's message. */
  ProcessOutput git(String projectId, List<String> args, Duration timeout) {
    return check(run(projectId, args, timeout, null, null), null);
  }

  ProcessOutput git(
      String projectId, List<String> args, Duration timeout, @Nullable Credential credential) {
    return check(run(projectId, args, timeout, credential, null), credential);
  }

  /** Runs git and returns whatever happened, for callers that read the exit code themselves. */
  ProcessOutput run(
      String projectId,
      List<String> args,
      Duration timeout,
      @Nullable Credential credential,
      byte @Nullable [] input) {
    List<String> argv = new ArrayList<>(List.of("bash", "-c", PRELUDE, "git"));
    // The IDE asks for status and diffs in the background, while a commit of ours or of the user's
    // terminal may run: a status that refreshes the index takes .git/index.lock, and the commit
    // then fails with "index.lock: File exists". Required locks (add, commit, checkout) stay.
    argv.add("--no-optional-locks");
    argv.add("-c");
    argv.add("protocol.file.allow=never");
    argv.add("-c");
    argv.add("core.quotePath=false");
    argv.addAll(args);
    StringBuilder stdin = new StringBuilder();
    int length = input == null ? 0 : input.length;
    if (credential == null) {
      stdin.append("none ").append(length).append('\n');
    } else {
      stdin
          .append(credential.kind())
          .append(' ')
          .append(length)
          .append('\n')
          .append(b64(credential.username()))
          .append('\n')
          .append(b64(credential.secret()))
          .append('\n');
    }
    byte[] head = stdin.toString().getBytes(StandardCharsets.UTF_8);
    byte[] all = head;
    if (input != null) {
      all = new byte[head.length + input.length];
      System.arraycopy(head, 0, all, 0, head.length);
      System.arraycopy(input, 0, all, head.length, input.length);
    }
    try {
      ProcessOutput out = runtime.run(projectId, argv, all, timeout, MAX_OUTPUT_BYTES);
      if (out.timedOut()) {
        throw new ApiException(
            ProblemType.GIT_TIMEOUT,
            "Git did not finish within "
                + timeout.toMinutes()
                + " minutes and was stopped. Try again, or use the terminal for very large"
                + " repositories.");
      }
      return out;
    } catch (WorkspaceRuntime.RuntimeUnavailableException e) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "workspace-unavailable",
          "Workspace unavailable",
          e.getMessage());
    }
  }

  ProcessOutput check(ProcessOutput out, @Nullable Credential credential) {
    if (out.exitCode() == 0) return out;
    throw failed(out, credential);
  }

  static ApiException failed(ProcessOutput out, @Nullable Credential credential) {
    String message = out.stderr().isBlank() ? out.stdoutText() : out.stderr();
    if (out.exitCode() == 97) message = "The ssh key could not be loaded.";
    return new ApiException(ProblemType.GIT_FAILED, sanitize(message, credential));
  }

  /**
   * Git's message without the credential (in case a remote echoes it) or any password in a URL, cut
   * to what a person reads.
   */
  static String sanitize(String message, @Nullable Credential credential) {
    String text = message;
    if (credential != null && !credential.secret().isEmpty()) {
      text = text.replace(credential.secret(), "***");
      text = text.replace(b64(credential.secret()), "***");
    }
    text = text.replaceAll("(?i)([a-z][a-z0-9+.-]*://)[^/@\\s]*@", "$1***@");
    text = text.strip();
    if (text.length() > 2000) text = text.substring(0, 2000) + "…";
    return text.isEmpty() ? "Git failed without saying why." : text;
  }

  private static String b64(String s) {
    return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
  }
}
