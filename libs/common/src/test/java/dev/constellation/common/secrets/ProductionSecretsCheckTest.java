package dev.constellation.common.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.constellation.common.secrets.ProductionSecretsCheck.WeakSecretException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.Banner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

class ProductionSecretsCheckTest {

  private static final String STRONG = "k3v9Qm2xT8pZ4rW7yB1nC6dF0gH5jL8sA2eU4iO9";

  private static StandardEnvironment environment(
      Map<String, Object> properties, String... profiles) {
    StandardEnvironment environment = new StandardEnvironment();
    environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
    environment.setActiveProfiles(profiles);
    return environment;
  }

  @Test
  void acceptsStrongSecretsInProd() {
    var env =
        environment(
            Map.of(
                "constellation.auth.jwt-secret", STRONG,
                "spring.mongodb.uri",
                    "mongodb://project_service:Zx81kPq@mongodb-primary:27017/constellation_projects?authSource=constellation_projects",
                "spring.data.redis.url", "redis://:R3dis-strong@redis:6379"),
            "prod");
    assertThatCode(() -> ProductionSecretsCheck.check(env)).doesNotThrowAnyException();
  }

  @Test
  void ignoresWeakSecretsOutsideProd() {
    var env = environment(Map.of("constellation.auth.jwt-secret", "short"), "local");
    assertThatCode(() -> ProductionSecretsCheck.check(env)).doesNotThrowAnyException();
  }

  @Test
  void refusesShortJwtSecretAndSaysHowLong() {
    var env = environment(Map.of("constellation.auth.jwt-secret", "only-twenty-bytes-xx"), "prod");
    assertThatThrownBy(() -> ProductionSecretsCheck.check(env))
        .isInstanceOf(WeakSecretException.class)
        .hasMessageContaining("JWT_SECRET")
        .hasMessageContaining("20 bytes")
        .hasMessageNotContaining("only-twenty-bytes-xx");
  }

  @Test
  void refusesAGitCredentialsKeyThatIsNot32BytesOfBase64() {
    var env =
        environment(
            Map.of("constellation.auth.jwt-secret", STRONG, "GIT_CREDENTIALS_KEY", "c2hvcnQ="),
            "prod");
    assertThatThrownBy(() -> ProductionSecretsCheck.check(env))
        .hasMessageContaining("GIT_CREDENTIALS_KEY")
        .hasMessageNotContaining("c2hvcnQ=");
    var good =
        environment(
            Map.of(
                "constellation.auth.jwt-secret",
                STRONG,
                "GIT_CREDENTIALS_KEY",
                java.util.Base64.getEncoder().encodeToString(new byte[32])),
            "prod");
    assertThatCode(() -> ProductionSecretsCheck.check(good)).doesNotThrowAnyException();
  }

  @Test
  void refusesMissingJwtSecret() {
    var env = environment(Map.of(), "prod");
    assertThatThrownBy(() -> ProductionSecretsCheck.check(env))
        .hasMessageContaining("JWT_SECRET")
        .hasMessageContaining("not set");
  }

  @Test
  void refusesExamplePlaceholderJwtSecretEvenWhenLong() {
    var env =
        environment(Map.of("JWT_SECRET", "your_jwt_secret_32_chars_minimum_xxxxxxxx"), "prod");
    assertThatThrownBy(() -> ProductionSecretsCheck.check(env)).hasMessageContaining("placeholder");
  }

  @Test
  void refusesPlaceholderMongoPasswordInReplicaSetUri() {
    var env =
        environment(
            Map.of(
                "constellation.auth.jwt-secret",
                STRONG,
                "spring.mongodb.uri",
                "mongodb://claude_service:change_me_claude_service@m1:27017,m2:27017/constellation_chat?replicaSet=rs0"),
            "prod");
    assertThatThrownBy(() -> ProductionSecretsCheck.check(env))
        .hasMessageContaining("MONGODB_URI")
        .hasMessageNotContaining("change_me_claude_service");
  }

  @Test
  void refusesPlaceholderRedisPasswordInUrlOrProperty() {
    var inUrl =
        environment(
            Map.of(
                "constellation.auth.jwt-secret",
                STRONG,
                "spring.data.redis.url",
                "redis://:change_me_redis_password@redis:6379"),
            "prod");
    assertThatThrownBy(() -> ProductionSecretsCheck.check(inUrl)).hasMessageContaining("REDIS_URL");
    var asProperty =
        environment(
            Map.of("constellation.auth.jwt-secret", STRONG, "REDIS_PASSWORD", "CHANGE_ME"), "prod");
    assertThatThrownBy(() -> ProductionSecretsCheck.check(asProperty))
        .hasMessageContaining("REDIS_PASSWORD");
  }

  @Test
  void readsPasswordOutOfUris() {
    assertThat(ProductionSecretsCheck.passwordOf("redis://:p%40ss@redis:6379")).isEqualTo("p@ss");
    assertThat(ProductionSecretsCheck.passwordOf("mongodb://u:pw@a:1,b:2/db?replicaSet=rs0"))
        .isEqualTo("pw");
    assertThat(ProductionSecretsCheck.passwordOf("mongodb://127.0.0.1:27018/")).isNull();
  }

  @Test
  void stopsARealApplicationStartingWithTheProdProfile() {
    SpringApplication app = new SpringApplication(Empty.class);
    app.setWebApplicationType(WebApplicationType.NONE);
    app.setBannerMode(Banner.Mode.OFF);
    app.setDefaultProperties(
        Map.of(
            "constellation.auth.jwt-secret",
            "change_me",
            "spring.main.lazy-initialization",
            "true"));
    app.setAdditionalProfiles("prod");
    assertThatThrownBy(app::run)
        .isInstanceOf(WeakSecretException.class)
        .hasMessageContaining("JWT_SECRET");
  }

  @Test
  void failureReportNamesTheSettingAndWhatToDo() {
    var analysis =
        new WeakSecretFailureAnalyzer()
            .analyze(
                new IllegalStateException(
                    "wrapped",
                    new WeakSecretException(
                        "Refusing to start with the 'prod' profile: JWT_SECRET (constellation.auth.jwt-secret) is 5 bytes")));
    assertThat(analysis.getDescription()).contains("JWT_SECRET").contains("5 bytes");
    assertThat(analysis.getAction()).contains(".env");
  }

  static class Empty {}
}
