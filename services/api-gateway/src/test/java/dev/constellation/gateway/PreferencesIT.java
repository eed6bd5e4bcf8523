package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.bson.Document;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;

/** The per-user IDE preferences: {@code GET /api/auth/me} shows them, the PATCH changes them. */
class PreferencesIT extends GatewayTestBase {

  @Autowired ReactiveMongoTemplate mongo;

  private static final String PATH = "/api/auth/me/preferences";

  @Test
  void autoStartIsOffForANewAccountAndStaysOnceTurnedOn() {
    Session user = anyUser();
    assertThat(
            get("/api/auth/me", user.accessToken())
                .json()
                .get("preferences")
                .get("autoStartWorkspace")
                .asBoolean())
        .isFalse();

    Response changed = patchJson(PATH, "{\"autoStartWorkspace\":true}", user.accessToken());
    assertThat(changed.status()).as(changed.body()).isEqualTo(200);
    assertThat(changed.json().get("autoStartWorkspace").asBoolean()).isTrue();

    // Stored on the user document: a fresh sign-in reads it back.
    Session again = login(user.user().get("email").asString());
    assertThat(
            get("/api/auth/me", again.accessToken())
                .json()
                .get("preferences")
                .get("autoStartWorkspace")
                .asBoolean())
        .isTrue();
    Document stored =
        mongo
            .getCollection("users")
            .flatMap(
                c ->
                    reactor.core.publisher.Mono.from(
                        c.find(new Document("_id", user.userId())).first()))
            .block();
    assertThat(stored.get("preferences", Document.class).getBoolean("autoStartWorkspace")).isTrue();

    Response off = patchJson(PATH, "{\"autoStartWorkspace\":false}", user.accessToken());
    assertThat(off.json().get("autoStartWorkspace").asBoolean()).isFalse();
  }

  @Test
  void anUnknownFieldIsIgnoredAndAWrongTypeIsAProblemThatChangesNothing() {
    Session user = anyUser();
    patchJson(PATH, "{\"autoStartWorkspace\":true}", user.accessToken());

    Response unknown =
        patchJson(PATH, "{\"theme\":\"dark\",\"roles\":[\"ADMIN\"]}", user.accessToken());
    assertThat(unknown.status()).as(unknown.body()).isEqualTo(200);
    assertThat(unknown.json().get("autoStartWorkspace").asBoolean()).isTrue();
    assertThat(unknown.body()).doesNotContain("theme");
    assertThat(get("/api/auth/me", user.accessToken()).body()).doesNotContain("ADMIN");

    for (String wrong :
        new String[] {
          "{\"autoStartWorkspace\":\"false\"}",
          "{\"autoStartWorkspace\":0}",
          "{\"autoStartWorkspace\":null}",
          "[false]",
          "false"
        }) {
      Response refused = patchJson(PATH, wrong, user.accessToken());
      assertProblem(refused, 400);
    }
    assertThat(
            get("/api/auth/me", user.accessToken())
                .json()
                .get("preferences")
                .get("autoStartWorkspace")
                .asBoolean())
        .isTrue();
  }

  @Test
  void preferencesNeedASignIn() {
    assertProblem(patchJson(PATH, "{\"autoStartWorkspace\":true}", null), 401);
  }

  @Test
  void anAccountFromBeforePreferencesReadsTheDefault() {
    Session user = anyUser();
    mongo
        .getCollection("users")
        .flatMap(
            c ->
                reactor.core.publisher.Mono.from(
                    c.updateOne(
                        new Document("_id", user.userId()),
                        new Document("$unset", new Document("preferences", "")))))
        .block();
    assertThat(
            get("/api/auth/me", user.accessToken())
                .json()
                .get("preferences")
                .get("autoStartWorkspace")
                .asBoolean())
        .isFalse();
  }
}
