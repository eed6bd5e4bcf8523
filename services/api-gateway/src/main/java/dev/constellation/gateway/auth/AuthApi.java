package dev.constellation.gateway.auth;

import dev.constellation.gateway.users.UserResponse;
import java.util.List;

/** Wire types of /api/auth. */
final class AuthApi {
  private AuthApi() {}

  record RegisterRequest(String email, String password, String displayName) {}

  record LoginRequest(String email, String password) {}

  record RefreshRequest(String refreshToken) {}

  record ChangePasswordRequest(String currentPassword, String newPassword) {}

  record TokenResponse(UserResponse user, String accessToken, String refreshToken, long expiresIn) {}

  record MeResponse(String id, String email, String displayName, List<String> roles) {}
}
