package dev.constellation.gateway.auth;

import dev.constellation.gateway.users.User;
import dev.constellation.gateway.users.UserResponse;
import java.util.List;

/** Wire types of /api/auth. */
final class AuthApi {
  private AuthApi() {}

  /**
   * {@code setupToken}: the operator's one-time token that makes this account the first admin
   * (production); {@code inviteCode}: needed when sign-up is invite-only. Anything else in the body
   * (roles, admin, id, …) is not read.
   */
  record RegisterRequest(
      String email,
      String password,
      String displayName,
      @org.jspecify.annotations.Nullable String setupToken,
      @org.jspecify.annotations.Nullable String inviteCode) {}

  /**
   * The same answer whether the email was free or taken, so that sign-up tells nobody who has an
   * account.
   */
  record RegisterResponse(String message) {
    static final RegisterResponse ACCEPTED =
        new RegisterResponse(
            "Registration received. Sign in with your email address and password.");
  }

  record LoginRequest(String email, String password) {}

  record RefreshRequest(String refreshToken) {}

  record ChangePasswordRequest(String currentPassword, String newPassword) {}

  record TokenResponse(
      UserResponse user, String accessToken, String refreshToken, long expiresIn) {}

  record MeResponse(
      String id,
      String email,
      String displayName,
      List<String> roles,
      User.Preferences preferences) {}
}
