package dev.constellation.common.web;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.springframework.web.util.UriUtils;

/**
 * The one rule for request paths, shared by the gateway (WebFlux) and every service (servlet).
 * Routers decode {@code %xx}, drop {@code ;params} and resolve dot segments, while a security
 * decision made on the raw path sees something else: {@code /internal;x/...} and {@code
 * /%69nternal/...} used to reach internal handlers without a token. So a path that could be read
 * two ways is refused outright, and every decision is made on the decoded path.
 */
public final class RequestPaths {
  private static final String INTERNAL = "/internal";

  private RequestPaths() {}

  /**
   * Why {@code rawPath} (as sent, still encoded, without the query) could be read two ways, or null
   * when it cannot: a {@code ;}, a backslash, an empty segment ({@code //}), a dot segment, a
   * control character, or a percent-encoded character that needs no encoding (letters, digits,
   * {@code -._~}), a slash, a backslash, a percent sign or a control character.
   */
  public static String ambiguity(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) return null;
    for (int i = 0; i < rawPath.length(); i++) {
      char c = rawPath.charAt(i);
      if (c == ';') return "a path parameter (;)";
      if (c == '\\') return "a backslash";
      if (c < 0x20 || c == 0x7f) return "a control character";
      if (c == '/' && i + 1 < rawPath.length() && rawPath.charAt(i + 1) == '/')
        return "an empty segment (//)";
      if (c == '%') {
        int value =
            i + 2 < rawPath.length() ? hexByte(rawPath.charAt(i + 1), rawPath.charAt(i + 2)) : -1;
        if (value < 0) return "a malformed percent-encoding";
        if (value < 0x20
            || value == 0x7f
            || value == '/'
            || value == '\\'
            || value == '%'
            || value == ';'
            || isUnreserved(value)) {
          return "a percent-encoded '"
              + (value < 0x20 || value == 0x7f ? "control character" : (char) value)
              + "'";
        }
        i += 2;
      }
    }
    for (String segment : rawPath.split("/", -1)) {
      if (segment.equals(".") || segment.equals("..")) return "a dot segment";
    }
    return null;
  }

  /** The decoded path a router matches; call only for paths {@link #ambiguity} accepted. */
  public static String normalized(String rawPath) {
    if (rawPath == null || rawPath.isEmpty()) return "/";
    return UriUtils.decode(rawPath, StandardCharsets.UTF_8);
  }

  /** Whether a (normalized) path is under {@code /internal}, in any letter case. */
  public static boolean isInternal(String path) {
    String lower = path.toLowerCase(Locale.ROOT);
    return lower.equals(INTERNAL) || lower.startsWith(INTERNAL + "/");
  }

  /** Whether a (normalized) path is under {@code /api}, in any letter case. */
  public static boolean isApi(String path) {
    return path.toLowerCase(Locale.ROOT).startsWith("/api/");
  }

  private static boolean isUnreserved(int c) {
    return (c >= 'a' && c <= 'z')
        || (c >= 'A' && c <= 'Z')
        || (c >= '0' && c <= '9')
        || c == '-'
        || c == '.'
        || c == '_'
        || c == '~';
  }

  private static int hexByte(char high, char low) {
    int h = Character.digit(high, 16);
    int l = Character.digit(low, 16);
    return h < 0 || l < 0 ? -1 : h * 16 + l;
  }
}
