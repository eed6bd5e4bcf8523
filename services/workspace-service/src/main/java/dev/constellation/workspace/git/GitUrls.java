package dev.constellation.workspace.git;

import dev.constellation.common.problem.ApiException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Which remote URLs a clone accepts: http(s), ssh and scp-like {@code user@host:path}. Git has
 * transports that run programs ({@code ext::}) or read the service's own disk ({@code file://}, a
 * bare path); those are refused here, and again by {@code GIT_ALLOW_PROTOCOL} on every git call.
 */
final class GitUrls {
  private static final int MAX_URL_CHARS = 2048;
  // user@host:path with a host of letters, digits, dots and dashes; not "host::" transports.
  private static final Pattern SCP_LIKE =
      Pattern.compile("^(?:[A-Za-z0-9._~-]+@)?([A-Za-z0-9.-]+):(?!:)(?!/)[^\\s]+$");

  private GitUrls() {}

  /** The host the URL points at (lower case), after checking it; throws a 400 otherwise. */
  static String requireValid(@Nullable String url) {
    if (url == null || url.isBlank()) throw bad("Enter the repository's URL.");
    if (url.length() > MAX_URL_CHARS)
      throw bad("The URL is too long (at most " + MAX_URL_CHARS + " characters).");
    for (int i = 0; i < url.length(); i++) {
      char c = url.charAt(i);
      if (c <= 0x20 || c == 0x7f)
        throw bad("The URL may not contain spaces or control characters.");
    }
    if (url.startsWith("-")) throw bad("The URL may not begin with '-'.");
    if (url.contains("::"))
      throw bad("Git's '::' transports are not allowed; use an https:// or ssh:// URL.");
    String lower = url.toLowerCase(Locale.ROOT);
    if (lower.startsWith("http://") || lower.startsWith("https://") || lower.startsWith("ssh://")) {
      URI uri;
      try {
        uri = new URI(url);
      } catch (URISyntaxException e) {
        throw bad("The URL is not well formed.");
      }
      String host = uri.getHost();
      if (host == null || host.isEmpty()) throw bad("The URL has no host.");
      if (host.startsWith("-")) throw bad("The host may not begin with '-'.");
      String userInfo = uri.getRawUserInfo();
      if (userInfo != null && userInfo.contains(":")) {
        throw bad(
            "Do not put a password or token in the URL; add it under Git credentials instead.");
      }
      return host.toLowerCase(Locale.ROOT);
    }
    if (lower.contains("://"))
      throw bad("Only https://, http:// and ssh:// URLs (or user@host:path) can be cloned.");
    var scp = SCP_LIKE.matcher(url);
    if (scp.matches() && !scp.group(1).startsWith("-"))
      return scp.group(1).toLowerCase(Locale.ROOT);
    throw bad("Only https://, http:// and ssh:// URLs (or user@host:path) can be cloned.");
  }

  /** Whether the scheme needs an ssh key rather than a token. */
  static boolean isSsh(String url) {
    return !url.toLowerCase(Locale.ROOT).startsWith("http");
  }

  private static ApiException bad(String detail) {
    return ApiException.validation("url", detail);
  }
}
