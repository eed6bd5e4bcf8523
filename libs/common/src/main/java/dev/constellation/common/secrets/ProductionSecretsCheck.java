package dev.constellation.common.secrets;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.springframework.boot.context.event.ApplicationPreparedEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.Profiles;

/**
 * With the {@code prod} profile, refuses to start on the placeholder secrets of {@code
 * .env.example} or a JWT key too short for HS256: a deployment that forgot to edit {@code .env}
 * must fail loudly, not run with a key anyone can read on GitHub.
 *
 * <p>Registered in {@code META-INF/spring.factories} rather than as a bean so that it runs before
 * any connection is opened, and on {@code ApplicationPreparedEvent} so that logging is already set
 * up and the reason reaches the log.
 */
public final class ProductionSecretsCheck implements ApplicationListener<ApplicationPreparedEvent> {

  static final int MIN_JWT_SECRET_BYTES = 32;
  private static final List<String> PLACEHOLDERS =
      List.of("change_me", "your_jwt_secret", "changeme");

  @Override
  public void onApplicationEvent(ApplicationPreparedEvent event) {
    check(event.getApplicationContext().getEnvironment());
  }

  /**
   * Throws {@link WeakSecretException} naming every weak setting when the prod profile is active.
   */
  static void check(ConfigurableEnvironment environment) {
    if (!environment.acceptsProfiles(Profiles.of("prod"))) return;
    List<String> problems = new ArrayList<>();

    String jwt =
        environment.getProperty(
            "constellation.auth.jwt-secret", environment.getProperty("JWT_SECRET", ""));
    int bytes = jwt.getBytes(StandardCharsets.UTF_8).length;
    if (jwt.isBlank()) {
      problems.add(
          "JWT_SECRET (constellation.auth.jwt-secret) is not set; tokens could not be signed safely");
    } else if (isPlaceholder(jwt)) {
      problems.add(
          "JWT_SECRET (constellation.auth.jwt-secret) is still the example placeholder; anyone could forge tokens");
    } else if (bytes < MIN_JWT_SECRET_BYTES) {
      problems.add(
          "JWT_SECRET (constellation.auth.jwt-secret) is "
              + bytes
              + " bytes; HS256 needs at least "
              + MIN_JWT_SECRET_BYTES
              + " random bytes");
    }

    String gitKey =
        environment.getProperty(
            "workspace.git.credentials-key", environment.getProperty("GIT_CREDENTIALS_KEY", ""));
    if (!gitKey.isBlank() && !isKeyOf32Bytes(gitKey)) {
      problems.add(
          "GIT_CREDENTIALS_KEY (workspace.git.credentials-key) must be the base64 of 32 random"
              + " bytes (openssl rand -base64 32)");
    }

    checkUriPassword(environment, "spring.mongodb.uri", "MONGODB_URI", problems);
    checkUriPassword(environment, "spring.data.redis.url", "REDIS_URL", problems);
    String redisPassword =
        environment.getProperty(
            "spring.data.redis.password", environment.getProperty("REDIS_PASSWORD", ""));
    if (isPlaceholder(redisPassword)) {
      problems.add("REDIS_PASSWORD (spring.data.redis.password) is still the example placeholder");
    }

    if (!problems.isEmpty()) {
      throw new WeakSecretException(
          "Refusing to start with the 'prod' profile: " + String.join("; ", problems) + ".");
    }
  }

  private static boolean isKeyOf32Bytes(String base64) {
    try {
      return java.util.Base64.getDecoder().decode(base64.strip()).length == 32;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  private static void checkUriPassword(
      ConfigurableEnvironment environment,
      String property,
      String variable,
      List<String> problems) {
    String uri = environment.getProperty(property, environment.getProperty(variable, ""));
    String password = passwordOf(uri);
    if (password != null && isPlaceholder(password)) {
      problems.add(variable + " (" + property + ") carries the example placeholder password");
    }
  }

  /** The password in {@code scheme://user:password@host/...}, or null; never logged. */
  static String passwordOf(String uri) {
    if (uri == null || uri.isBlank()) return null;
    // By hand, not java.net.URI: a replica-set URI (host1,host2) has no server-based authority.
    int scheme = uri.indexOf("://");
    int end = uri.indexOf('/', scheme + 3);
    String authority = scheme < 0 ? "" : uri.substring(scheme + 3, end < 0 ? uri.length() : end);
    int at = authority.lastIndexOf('@');
    String userInfo = at < 0 ? null : authority.substring(0, at);
    if (userInfo == null) return null;
    int colon = userInfo.indexOf(':');
    return colon < 0
        ? null
        : URLDecoder.decode(userInfo.substring(colon + 1), StandardCharsets.UTF_8);
  }

  private static boolean isPlaceholder(String value) {
    String lower = value.toLowerCase(Locale.ROOT);
    return PLACEHOLDERS.stream().anyMatch(lower::contains);
  }

  /** Thrown at start-up; its message names the settings at fault, never their values. */
  public static final class WeakSecretException extends IllegalStateException {
    WeakSecretException(String message) {
      super(message);
    }
  }
}
