package dev.constellation.gateway.auth;

import dev.constellation.common.problem.ApiException;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;

/** What a valid sign-up looks like; each failure names its field. */
final class AccountRules {
  static final int MIN_PASSWORD_CHARS = 10;
  // bcrypt reads only the first 72 bytes; a longer password would be silently truncated.
  static final int MAX_PASSWORD_BYTES = 72;
  static final int MAX_DISPLAY_NAME = 80;
  static final int MAX_EMAIL = 254;
  private static final Pattern EMAIL = Pattern.compile("^[^@\\s]+@[^@\\s.]+(\\.[^@\\s.]+)+$");

  private AccountRules() {}

  static void checkEmail(String email) {
    if (email == null || email.isBlank())
      throw ApiException.validation("email", "Enter an email address.");
    String trimmed = email.trim();
    if (trimmed.length() > MAX_EMAIL || !EMAIL.matcher(trimmed).matches()) {
      throw ApiException.validation(
          "email", "'" + abbreviate(trimmed) + "' is not a valid email address.");
    }
  }

  static void checkPassword(String password) {
    if (password == null || password.codePointCount(0, password.length()) < MIN_PASSWORD_CHARS) {
      throw ApiException.validation(
          "password", "The password must have at least " + MIN_PASSWORD_CHARS + " characters.");
    }
    if (password.getBytes(StandardCharsets.UTF_8).length > MAX_PASSWORD_BYTES) {
      throw ApiException.validation(
          "password", "The password must not be longer than " + MAX_PASSWORD_BYTES + " bytes.");
    }
  }

  static String checkDisplayName(String displayName) {
    if (displayName == null || displayName.isBlank()) {
      throw ApiException.validation("displayName", "Enter a display name.");
    }
    String trimmed = displayName.strip();
    if (trimmed.codePointCount(0, trimmed.length()) > MAX_DISPLAY_NAME) {
      throw ApiException.validation(
          "displayName",
          "The display name must not be longer than " + MAX_DISPLAY_NAME + " characters.");
    }
    if (trimmed.codePoints().anyMatch(Character::isISOControl)) {
      throw ApiException.validation(
          "displayName", "The display name must not contain control characters.");
    }
    return trimmed;
  }

  private static String abbreviate(String s) {
    return s.length() > 40 ? s.substring(0, 40) + "…" : s;
  }
}
