package dev.constellation.gateway;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.data.domain.Sort;
import org.springframework.data.mongodb.core.ReactiveMongoTemplate;
import org.springframework.data.mongodb.core.index.Index;
import org.springframework.test.context.TestPropertySource;

/** The production rules: the first admin needs the setup token, and sign-up is invite-only here. */
@TestPropertySource(
    properties = {
      "constellation.sign-up.first-admin=setup-token",
      "constellation.sign-up.setup-token=" + SignUpIT.SETUP_TOKEN,
      "constellation.sign-up.mode=invite-only"
    })
class SignUpIT extends GatewayTestBase {
  static final String SETUP_TOKEN = "operator-setup-token-0123456789";

  @Autowired ReactiveMongoTemplate mongo;

  @BeforeEach
  void emptyInstallation() {
    mongo.dropCollection("users").then(mongo.dropCollection("installation")).block();
    mongo.indexOps("users").createIndex(new Index("email", Sort.Direction.ASC).unique()).block();
  }

  @Test
  void firstAccountIsNoAdminWithoutTheSetupTokenAndTheTokenWorksOnce() {
    // Even the very first registration needs an invite or the token: a stranger who finds the
    // new deployment first gets nothing.
    assertProblem(register("stranger@example.com", null, null), 403);
    assertProblem(register("stranger@example.com", "wrong-token-wrong-token", null), 403);

    assertThat(register("operator@example.com", SETUP_TOKEN, null).status()).isEqualTo(202);
    Session operator = login("operator@example.com");
    assertThat(operator.user().get("roles").toString()).contains("ADMIN");

    // Spent: the same token makes no second admin.
    assertProblem(register("second@example.com", SETUP_TOKEN, null), 403);
    assertThat(
            mongo
                .getCollection("users")
                .flatMap(c -> reactor.core.publisher.Mono.from(c.countDocuments()))
                .block())
        .isEqualTo(1);
  }

  @Test
  void aTakenEmailWithTheSetupTokenDoesNotSpendIt() {
    register("operator@example.com", SETUP_TOKEN, null);
    mongo.dropCollection("installation").block();
    // The installation has an account but (as far as the claim goes) no admin; a registration of
    // the same email with the token is answered alike and changes nothing.
    Response again = register("OPERATOR@example.com", SETUP_TOKEN, null);
    assertThat(again.status()).isEqualTo(202);
    assertThat(
            mongo
                .exists(
                    org.springframework.data.mongodb.core.query.Query.query(
                        org.springframework.data.mongodb.core.query.Criteria.where("_id")
                            .is("first-admin")),
                    "installation")
                .block())
        .isFalse();
  }

  @Test
  void inviteOnlyNeedsAnAdminsOneTimeCode() {
    register("operator@example.com", SETUP_TOKEN, null);
    Session admin = login("operator@example.com");
    assertProblem(register("friend@example.com", null, "made-up-code"), 403);

    Response invite = postJson("/api/admin/invites", "{}", admin.accessToken());
    assertThat(invite.status()).as(invite.body()).isEqualTo(201);
    String code = invite.json().get("code").asString();
    assertThat(invite.json().get("expiresAt").asString()).isNotBlank();

    assertThat(register("friend@example.com", null, code).status()).isEqualTo(202);
    Session friend = login("friend@example.com");
    assertThat(friend.user().get("roles").toString()).doesNotContain("ADMIN");
    assertProblem(register("friend2@example.com", null, code), 403);

    // Only admins make invites.
    assertProblem(postJson("/api/admin/invites", "{}", friend.accessToken()), 403);
  }

  private Response register(String email, String setupToken, String inviteCode) {
    StringBuilder json =
        new StringBuilder(
            "{\"email\":\""
                + email
                + "\",\"password\":\"correct horse battery\",\"displayName\":\"T\"");
    if (setupToken != null) json.append(",\"setupToken\":\"").append(setupToken).append('"');
    if (inviteCode != null) json.append(",\"inviteCode\":\"").append(inviteCode).append('"');
    return postJson("/api/auth/register", json.append('}').toString(), null);
  }
}
