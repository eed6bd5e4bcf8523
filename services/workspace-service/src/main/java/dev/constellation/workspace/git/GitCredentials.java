package dev.constellation.workspace.git;

import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/** Each user's git credentials: stored sealed, shown without the secret, opened for one command. */
@Component
class GitCredentials {
  static final int MAX_PER_USER = 50;
  static final String HTTPS_TOKEN = "https-token";
  static final String SSH_KEY = "ssh-key";

  record CredentialResponse(
      String id,
      String host,
      String kind,
      @Nullable String username,
      @Nullable String publicKey,
      Instant createdAt) {
    static CredentialResponse of(GitCredential c) {
      return new CredentialResponse(c.id, c.host, c.kind, c.username, c.publicKey, c.createdAt);
    }
  }

  private final GitCredentialRepository repository;
  private final CredentialCipher cipher;
  private final Clock clock = Clock.systemUTC();

  GitCredentials(GitCredentialRepository repository, CredentialCipher cipher) {
    this.repository = repository;
    this.cipher = cipher;
  }

  List<CredentialResponse> list(AuthenticatedUser user) {
    return repository.findByUserIdOrderByCreatedAtAsc(user.id()).stream()
        .map(CredentialResponse::of)
        .toList();
  }

  CredentialResponse addToken(AuthenticatedUser user, String host, String username, String token) {
    requireRoom(user);
    var c =
        new GitCredential(
            user.id(),
            host,
            HTTPS_TOKEN,
            username,
            null,
            cipher.seal(user.id(), token),
            clock.instant());
    return CredentialResponse.of(repository.save(c));
  }

  CredentialResponse addSshKey(AuthenticatedUser user, String host) {
    requireRoom(user);
    SshKeys.Pair pair = SshKeys.generate("constellation:" + user.email());
    var c =
        new GitCredential(
            user.id(),
            host,
            SSH_KEY,
            null,
            pair.publicKey(),
            cipher.seal(user.id(), pair.privateKey()),
            clock.instant());
    return CredentialResponse.of(repository.save(c));
  }

  void delete(AuthenticatedUser user, String id) {
    GitCredential c =
        repository.findByIdAndUserId(id, user.id()).orElseThrow(GitCredentials::notFound);
    repository.delete(c);
  }

  /**
   * The credential for an operation on {@code url}: the one named (which must be the caller's), or
   * the caller's newest one whose host matches and whose kind fits the URL; empty when none does.
   */
  Optional<GitRunner.Credential> forOperation(
      AuthenticatedUser user, @Nullable String credentialId, String url) {
    GitCredential c;
    if (credentialId != null) {
      c =
          repository
              .findByIdAndUserId(credentialId, user.id())
              .orElseThrow(GitCredentials::notFound);
    } else {
      String host;
      try {
        host = GitUrls.requireValid(url);
      } catch (ApiException e) {
        return Optional.empty();
      }
      String kind = GitUrls.isSsh(url) ? SSH_KEY : HTTPS_TOKEN;
      List<GitCredential> all = repository.findByUserIdOrderByCreatedAtAsc(user.id());
      c = null;
      for (GitCredential each : all) {
        if (each.host.equals(host) && each.kind.equals(kind)) c = each;
      }
      if (c == null) return Optional.empty();
    }
    String secret = cipher.open(user.id(), c.sealed);
    return Optional.of(
        new GitRunner.Credential(c.kind, c.username == null ? "git" : c.username, secret));
  }

  static String normalizeHost(@Nullable String host) {
    if (host == null || host.isBlank())
      throw ApiException.validation("host", "Enter the git host, e.g. github.com.");
    String h = host.strip().toLowerCase(Locale.ROOT);
    if (!h.matches("[a-z0-9]([a-z0-9.-]{0,251}[a-z0-9])?(:[0-9]{1,5})?"))
      throw ApiException.validation(
          "host", "Enter only the host name, e.g. github.com (no https://, no path).");
    int colon = h.indexOf(':');
    return colon < 0 ? h : h.substring(0, colon);
  }

  private void requireRoom(AuthenticatedUser user) {
    if (repository.countByUserId(user.id()) >= MAX_PER_USER)
      throw ApiException.conflict(
          "You can keep at most " + MAX_PER_USER + " git credentials; delete one first.");
  }

  private static ApiException notFound() {
    return ApiException.notFound("No such git credential.");
  }
}
