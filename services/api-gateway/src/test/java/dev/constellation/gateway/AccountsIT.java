package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.audit.AuditEvent;
import dev.constellation.common.auth.DisabledUsers;
import java.util.List;
import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Range;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.redis.connection.stream.MapRecord;
import org.springframework.data.redis.core.ReactiveStringRedisTemplate;

class AccountsIT extends GatewayTestBase {

  @Autowired ReactiveMongoTemplate mongo;
  @Autowired ReactiveStringRedisTemplate redis;

  @Test
  void firstUserOfEmptyInstallationIsAdminAndSecondIsNot() {
    mongo.dropCollection("users").then(mongo.dropCollection("installation")).block();
    mongo
        .indexOps("users")
        .createIndex(
            new org.springframework.data.mongodb.core.index.Index(
                    "email", org.springframework.data.domain.Sort.Direction.ASC)
                .unique())
        .block();

    Session first = register(uniqueEmail("first"));
    Session second = register(uniqueEmail("second"));

    assertThat(first.user().get("roles").toString()).contains("ADMIN");
    assertThat(second.user().get("roles").toString()).doesNotContain("ADMIN").contains("USER");
    assertThat(
            get("/api/admin/users?page=0&size=1", first.accessToken()).json().get("total").asLong())
        .isEqualTo(2);
    assertProblem(get("/api/admin/users", second.accessToken()), 403);
    assertProblem(
        patchJson(
            "/api/admin/users/" + first.userId(), "{\"disabled\":true}", second.accessToken()),
        403);
  }

  @Test
  void adminListIsPaged() {
    Session admin = admin();
    register(uniqueEmail("paged"));
    var page = get("/api/admin/users?page=0&size=1", admin.accessToken()).json();
    assertThat(page.get("items").size()).isEqualTo(1);
    assertThat(page.get("page").asInt()).isZero();
    assertThat(page.get("size").asInt()).isEqualTo(1);
    assertThat(page.get("total").asLong()).isGreaterThanOrEqualTo(2);
    assertThat(page.get("items").get(0).has("passwordHash")).isFalse();
  }

  @Test
  void registerAnswersATakenEmailLikeAFreeOneAndKeepsTheAccount() {
    String email = uniqueEmail("dup");
    Session owner = register(email);
    Response again =
        postJson(
            "/api/auth/register",
            "{\"email\":\""
                + email.toUpperCase()
                + "\",\"password\":\"another long password\",\"displayName\":\"X\"}",
            null);
    Response fresh =
        postJson(
            "/api/auth/register",
            "{\"email\":\""
                + uniqueEmail("fresh")
                + "\",\"password\":\"another long password\",\"displayName\":\"X\"}",
            null);
    assertThat(again.status()).isEqualTo(202);
    assertThat(again.body()).isEqualTo(fresh.body());
    assertThat(again.body()).doesNotContain("accessToken");
    // The taken account is untouched: its own password still works, the intruder's does not.
    assertThat(login(email).userId()).isEqualTo(owner.userId());
    assertProblem(
        postJson(
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"another long password\"}",
            null),
        401);
  }

  @Test
  void registerValidatesEachField() {
    Response shortPassword =
        postJson(
            "/api/auth/register",
            "{\"email\":\"" + uniqueEmail("v") + "\",\"password\":\"short\",\"displayName\":\"X\"}",
            null);
    assertProblem(shortPassword, 400);
    assertThat(shortPassword.json().get("title").asString()).contains("password");

    Response badEmail =
        postJson(
            "/api/auth/register",
            "{\"email\":\"not-an-email\",\"password\":\"long enough password\",\"displayName\":\"X\"}",
            null);
    assertProblem(badEmail, 400);
    assertThat(badEmail.json().get("title").asString()).contains("email");

    Response noName =
        postJson(
            "/api/auth/register",
            "{\"email\":\""
                + uniqueEmail("v")
                + "\",\"password\":\"long enough password\",\"displayName\":\" \"}",
            null);
    assertThat(noName.json().get("title").asString()).contains("displayName");

    Response longName =
        postJson(
            "/api/auth/register",
            "{\"email\":\""
                + uniqueEmail("v")
                + "\",\"password\":\"long enough password\",\"displayName\":\""
                + "n".repeat(81)
                + "\"}",
            null);
    assertProblem(longName, 400);
  }

  @Test
  void loginAnswersUnknownEmailAndWrongPasswordAlike() {
    String email = uniqueEmail("login");
    register(email);
    Response wrongPassword =
        postJson(
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"wrong password!\"}",
            null);
    Response unknown =
        postJson(
            "/api/auth/login",
            "{\"email\":\"" + uniqueEmail("nobody") + "\",\"password\":\"wrong password!\"}",
            null);
    assertProblem(wrongPassword, 401);
    assertProblem(unknown, 401);
    assertThat(wrongPassword.json().get("detail")).isEqualTo(unknown.json().get("detail"));

    Session session = login(email.toUpperCase());
    var me = get("/api/auth/me", session.accessToken()).json();
    assertThat(me.get("email").asString()).isEqualTo(email);
    assertThat(session.user().get("createdAt").asString()).isNotBlank();
  }

  @Test
  void loginIssuesFifteenMinuteTokens() {
    String email = uniqueEmail("ttl");
    register(email);
    Response response =
        postJson(
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}",
            null);
    assertThat(response.json().get("expiresIn").asLong()).isEqualTo(900);
  }

  @Test
  void refreshRotatesTheToken() {
    Session session = anyUser();
    Response refreshed =
        postJson(
            "/api/auth/refresh", "{\"refreshToken\":\"" + session.refreshToken() + "\"}", null);
    assertThat(refreshed.status()).isEqualTo(200);
    Session next = session(refreshed);
    assertThat(next.refreshToken()).isNotEqualTo(session.refreshToken());
    assertThat(get("/api/auth/me", next.accessToken()).status()).isEqualTo(200);
    assertThat(
            postJson(
                    "/api/auth/refresh", "{\"refreshToken\":\"" + next.refreshToken() + "\"}", null)
                .status())
        .isEqualTo(200);
  }

  @Test
  void refreshTokenReuseRevokesFamily() {
    Session session = anyUser();
    Session rotated =
        session(
            postJson(
                "/api/auth/refresh",
                "{\"refreshToken\":\"" + session.refreshToken() + "\"}",
                null));

    Response replay =
        postJson(
            "/api/auth/refresh", "{\"refreshToken\":\"" + session.refreshToken() + "\"}", null);
    assertProblem(replay, 401);
    // The thief's replay also ends the legitimate successor: the whole sign-in is gone.
    assertProblem(
        postJson(
            "/api/auth/refresh", "{\"refreshToken\":\"" + rotated.refreshToken() + "\"}", null),
        401);
    // And the access tokens of that sign-in stop working at once.
    assertProblem(get("/api/auth/me", rotated.accessToken()), 401);
    assertProblem(get("/api/auth/me", session.accessToken()), 401);
    assertThat(auditActions()).contains("auth.refresh.reuse");
  }

  @Test
  void otherSignInsSurviveAReuseInOneFamily() {
    String email = uniqueEmail("families");
    Session laptop = register(email);
    Session phone = login(email);
    postJson("/api/auth/refresh", "{\"refreshToken\":\"" + laptop.refreshToken() + "\"}", null);
    postJson("/api/auth/refresh", "{\"refreshToken\":\"" + laptop.refreshToken() + "\"}", null);
    assertThat(
            postJson(
                    "/api/auth/refresh",
                    "{\"refreshToken\":\"" + phone.refreshToken() + "\"}",
                    null)
                .status())
        .isEqualTo(200);
  }

  @Test
  void logoutEndsTheSignIn() {
    Session session = anyUser();
    Response logout =
        postJson("/api/auth/logout", "{\"refreshToken\":\"" + session.refreshToken() + "\"}", null);
    assertThat(logout.status()).isEqualTo(204);
    assertProblem(
        postJson(
            "/api/auth/refresh", "{\"refreshToken\":\"" + session.refreshToken() + "\"}", null),
        401);
    assertProblem(get("/api/auth/me", session.accessToken()), 401);
  }

  @Test
  void aRoleChangeEndsTheUsersSignIns() {
    Session admin = admin();
    Session other = anyUser();
    patchJson("/api/admin/users/" + other.userId(), "{\"roles\":[\"ADMIN\"]}", admin.accessToken());
    assertProblem(get("/api/auth/me", other.accessToken()), 401);
    assertProblem(
        postJson("/api/auth/refresh", "{\"refreshToken\":\"" + other.refreshToken() + "\"}", null),
        401);
    // Setting the roles it already has changes nothing.
    Session promoted = login(other.user().get("email").asString());
    patchJson(
        "/api/admin/users/" + other.userId(),
        "{\"roles\":[\"ADMIN\",\"USER\"]}",
        admin.accessToken());
    assertThat(get("/api/admin/users", promoted.accessToken()).status()).isEqualTo(200);
  }

  @Test
  void passwordChangeChecksTheCurrentPasswordAndTheNewOne() {
    Session session = anyUser();
    assertProblem(
        postJson(
            "/api/auth/password",
            "{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"short\"}",
            session.accessToken()),
        400);
    assertProblem(
        postJson(
            "/api/auth/password",
            "{\"currentPassword\":\"wrong guess!\",\"newPassword\":\"long enough password\"}",
            session.accessToken()),
        403);
    assertProblem(
        postJson(
            "/api/auth/password",
            "{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"long enough password\"}",
            null),
        401);
    assertThat(get("/api/auth/me", session.accessToken()).status()).isEqualTo(200);
    Response changed =
        postJson(
            "/api/auth/password",
            "{\"currentPassword\":\"correct horse battery\",\"newPassword\":\"long enough password\"}",
            session.accessToken());
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertProblem(get("/api/auth/me", session.accessToken()), 401);
    assertThat(get("/api/auth/me", session(changed).accessToken()).status()).isEqualTo(200);
    assertThat(auditActions()).contains("auth.password.change", "auth.password.failure");
  }

  @Test
  void adminsDeleteOthersButNotThemselves() {
    Session admin = admin();
    Session other = anyUser();
    assertProblem(
        send(request("/api/admin/users/" + admin.userId(), admin.accessToken()).DELETE().build()),
        409);
    assertProblem(
        send(request("/api/admin/users/" + admin.userId(), other.accessToken()).DELETE().build()),
        403);
    assertThat(
            send(request("/api/admin/users/" + other.userId(), admin.accessToken())
                    .DELETE()
                    .build())
                .status())
        .isEqualTo(204);
    assertProblem(get("/api/auth/me", other.accessToken()), 401);
    assertProblem(
        send(request("/api/admin/users/" + other.userId(), admin.accessToken()).DELETE().build()),
        404);
  }

  @Test
  void disabledUserIsRefusedAtOnce() {
    Session admin = admin();
    String email = uniqueEmail("disabled");
    Session victim = register(email);
    assertThat(get("/api/projects", victim.accessToken()).status()).isEqualTo(200);

    Response patched =
        patchJson(
            "/api/admin/users/" + victim.userId(), "{\"disabled\":true}", admin.accessToken());
    assertThat(patched.status()).as(patched.body()).isEqualTo(200);
    assertThat(patched.json().get("disabled").asBoolean()).isTrue();

    assertThat(redis.hasKey(DisabledUsers.key(victim.userId())).block()).isTrue();
    assertProblem(get("/api/projects", victim.accessToken()), 401);
    assertProblem(get("/api/auth/me", victim.accessToken()), 401);
    assertProblem(
        postJson("/api/auth/refresh", "{\"refreshToken\":\"" + victim.refreshToken() + "\"}", null),
        401);
    assertProblem(
        postJson(
            "/api/auth/login",
            "{\"email\":\"" + email + "\",\"password\":\"correct horse battery\"}",
            null),
        403);

    patchJson("/api/admin/users/" + victim.userId(), "{\"disabled\":false}", admin.accessToken());
    assertThat(get("/api/auth/me", login(email).accessToken()).status()).isEqualTo(200);
  }

  @Test
  void membersFindEachOtherByEmailAndIdWithoutSeeingAccountState() {
    String email = uniqueEmail("teammate");
    Session teammate = register(email);
    Session me = anyUser();

    Response found = get("/api/users/lookup?email=" + email.toUpperCase(), me.accessToken());
    assertThat(found.status()).as(found.body()).isEqualTo(200);
    assertThat(found.json().get("id").asString()).isEqualTo(teammate.userId());
    assertThat(found.json().has("roles")).isFalse();

    Response byIds =
        get("/api/users?ids=" + teammate.userId() + "," + me.userId(), me.accessToken());
    assertThat(byIds.json().size()).isEqualTo(2);
    assertProblem(get("/api/users/lookup?email=nobody-" + email, me.accessToken()), 404);
    assertProblem(get("/api/users/lookup?email=" + email, null), 401);
  }

  @Test
  void adminCanGrantAdminAndRejectsUnknownRoles() {
    Session admin = admin();
    Session other = anyUser();
    assertProblem(
        patchJson(
            "/api/admin/users/" + other.userId(), "{\"roles\":[\"ROOT\"]}", admin.accessToken()),
        400);
    Response granted =
        patchJson(
            "/api/admin/users/" + other.userId(), "{\"roles\":[\"ADMIN\"]}", admin.accessToken());
    assertThat(granted.json().get("roles").toString()).contains("ADMIN", "USER");
    assertProblem(
        patchJson("/api/admin/users/" + admin.userId(), "{\"disabled\":true}", admin.accessToken()),
        409);
  }

  @Test
  void loginBruteForceIsRateLimited() {
    String email = uniqueEmail("brute");
    register(email);
    Response last = null;
    for (int i = 0; i < 12; i++) {
      last =
          postJson(
              "/api/auth/login",
              "{\"email\":\"" + email + "\",\"password\":\"guess number " + i + "\"}",
              null);
      if (last.status() == 429) break;
    }
    assertProblem(last, 429);
    assertThat(Long.parseLong(last.header("Retry-After"))).isBetween(1L, 60L);
    assertThat(auditActions()).contains("auth.login.failure");
  }

  @Test
  void auditEventsCarryNoSecrets() {
    String email = uniqueEmail("audit");
    Session session = register(email);
    List<MapRecord<String, Object, Object>> events =
        redis.opsForStream().range(AuditEvent.STREAM, Range.unbounded()).collectList().block();
    String all = events.toString();
    assertThat(all)
        .contains("auth.register", "api-gateway")
        .doesNotContain("correct horse battery", session.refreshToken(), session.accessToken());
  }

  private List<String> auditActions() {
    return redis
        .opsForStream()
        .range(AuditEvent.STREAM, Range.unbounded())
        .map(record -> String.valueOf(record.getValue().get("action")))
        .collectList()
        .block();
  }

  /** An admin made by promoting a fresh account straight in the database. */
  private Session admin() {
    String email = uniqueEmail("admin");
    Session plain = register(email);
    mongo
        .getCollection("users")
        .flatMap(
            c ->
                reactor.core.publisher.Mono.from(
                    c.updateOne(
                        new Document("_id", plain.userId()),
                        new Document("$set", new Document("roles", List.of("USER", "ADMIN"))))))
        .block();
    return login(email);
  }
}
