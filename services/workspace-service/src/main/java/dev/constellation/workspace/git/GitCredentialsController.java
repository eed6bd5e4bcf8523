package dev.constellation.workspace.git;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

/**
 * The caller's own git credentials; nobody else's are visible or usable (another's id is a 404).
 */
@RestController
class GitCredentialsController {
  record CreateCredentialRequest(
      @NotBlank String kind,
      @Size(max = 253) @Nullable String host,
      @Size(max = 200) @Nullable String username,
      @Size(max = 4096) @Nullable String token) {}

  private final GitCredentials credentials;

  GitCredentialsController(GitCredentials credentials) {
    this.credentials = credentials;
  }

  @GetMapping("/api/git/credentials")
  List<GitCredentials.CredentialResponse> list(@CurrentUser AuthenticatedUser user) {
    return credentials.list(user);
  }

  @PostMapping("/api/git/credentials")
  @ResponseStatus(HttpStatus.CREATED)
  GitCredentials.CredentialResponse create(
      @Valid @RequestBody CreateCredentialRequest body, @CurrentUser AuthenticatedUser user) {
    String host = GitCredentials.normalizeHost(body.host());
    return switch (body.kind()) {
      case GitCredentials.HTTPS_TOKEN -> {
        String username =
            body.username() == null || body.username().isBlank() ? "git" : body.username().strip();
        if (body.token() == null || body.token().isBlank())
          throw ApiException.validation("token", "Enter the personal access token.");
        if (!singleLine(username) || !singleLine(body.token()))
          throw ApiException.validation("token", "The user name and token must be one line each.");
        yield credentials.addToken(user, host, username, body.token().strip());
      }
      case GitCredentials.SSH_KEY -> credentials.addSshKey(user, host);
      default ->
          throw ApiException.validation("kind", "The kind is either 'https-token' or 'ssh-key'.");
    };
  }

  @DeleteMapping("/api/git/credentials/{id}")
  @ResponseStatus(HttpStatus.NO_CONTENT)
  void delete(@PathVariable String id, @CurrentUser AuthenticatedUser user) {
    credentials.delete(user, id);
  }

  private static boolean singleLine(String s) {
    for (int i = 0; i < s.length(); i++)
      if (s.charAt(i) < 0x20 || s.charAt(i) == 0x7f) return false;
    return true;
  }
}
