package dev.constellation.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.claude.support.TestStack;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ConversationAccessIT extends TestStack {

  @Test
  void editorCreatesListsReadsAndDeletesConversations() {
    Member m = member("EDITOR");
    Response created =
        call(
            "POST",
            "/api/projects/" + m.projectId() + "/conversations",
            m.token(),
            Map.of("title", "Refactor"));
    assertThat(created.status()).isEqualTo(201);
    String cid = created.json().get("id").asString();
    assertThat(created.json().get("projectId").asString()).isEqualTo(m.projectId());

    Response list =
        call(
            "GET",
            "/api/projects/" + m.projectId() + "/conversations?page=0&size=20",
            m.token(),
            null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("total").asLong()).isEqualTo(1);
    assertThat(list.json().get("items").get(0).get("title").asString()).isEqualTo("Refactor");

    Response one = call("GET", "/api/conversations/" + cid, m.token(), null);
    assertThat(one.json().get("messages")).isEmpty();

    assertThat(call("DELETE", "/api/conversations/" + cid, m.token(), null).status())
        .isEqualTo(204);
    assertThat(call("GET", "/api/conversations/" + cid, m.token(), null).status()).isEqualTo(404);
  }

  /** Generated clients read the success status from the document, not from the wire. */
  @Test
  void theOpenApiDocumentSaysCreatedForANewConversation() {
    Response docs = call("GET", "/v3/api-docs", null, null);
    assertThat(docs.status()).as(docs.body()).isEqualTo(200);
    var responses =
        docs.json()
            .get("paths")
            .get("/api/projects/{projectId}/conversations")
            .get("post")
            .get("responses");
    List<String> codes = new ArrayList<>();
    responses.propertyNames().forEach(codes::add);
    assertThat(codes).contains("201").doesNotContain("200");
    assertThat(responses.get("201").get("content")).isNotNull();
  }

  @Test
  void viewerReadsButCannotSendCreateOrDelete() {
    Member editor = member("EDITOR");
    String cid = newConversation(editor);
    Member viewer = joining(editor, "VIEWER");

    assertThat(call("GET", "/api/conversations/" + cid, viewer.token(), null).status())
        .isEqualTo(200);
    assertThat(
            call(
                    "GET",
                    "/api/projects/" + editor.projectId() + "/conversations",
                    viewer.token(),
                    null)
                .status())
        .isEqualTo(200);
    Stream s = send(cid, viewer.token(), Map.of("content", "hi"));
    assertThat(s.status()).isEqualTo(403);
    assertThat(s.contentType()).startsWith("application/problem+json");
    assertThat(
            call(
                    "POST",
                    "/api/projects/" + editor.projectId() + "/conversations",
                    viewer.token(),
                    Map.of())
                .status())
        .isEqualTo(403);
    assertThat(call("DELETE", "/api/conversations/" + cid, viewer.token(), null).status())
        .isEqualTo(403);
    assertThat(
            call(
                    "POST",
                    "/api/projects/" + editor.projectId() + "/ai/edits",
                    viewer.token(),
                    Map.of("instruction", "x"))
                .status())
        .isEqualTo(403);
    assertThat(ANTHROPIC.received()).isEmpty();
  }

  @Test
  void nonMemberGets404Everywhere() {
    Member owner = member("OWNER");
    String cid = newConversation(owner);
    Member stranger = member("EDITOR");

    assertThat(call("GET", "/api/conversations/" + cid, stranger.token(), null).status())
        .isEqualTo(404);
    assertThat(
            call(
                    "GET",
                    "/api/projects/" + owner.projectId() + "/conversations",
                    stranger.token(),
                    null)
                .status())
        .isEqualTo(404);
    assertThat(send(cid, stranger.token(), Map.of("content", "hi")).status()).isEqualTo(404);
    assertThat(call("DELETE", "/api/conversations/" + cid, stranger.token(), null).status())
        .isEqualTo(404);
  }

  @Test
  void requestsWithoutTokenAre401() {
    assertThat(call("GET", "/api/projects/p/conversations", null, null).status()).isEqualTo(401);
  }

  @Test
  void projectDeletionCascadeNeedsAServiceTokenAndIsIdempotent() {
    Member m = member("OWNER");
    String cid = newConversation(m);
    send(cid, m.token(), Map.of("content", "hi"));

    assertThat(call("DELETE", "/internal/projects/" + m.projectId(), null, null).status())
        .isEqualTo(401);
    assertThat(call("DELETE", "/internal/projects/" + m.projectId(), m.token(), null).status())
        .isEqualTo(403);
    String service = CODEC.signServiceToken("project-service");
    assertThat(call("DELETE", "/internal/projects/" + m.projectId(), service, null).status())
        .isEqualTo(204);
    assertThat(call("DELETE", "/internal/projects/" + m.projectId(), service, null).status())
        .isEqualTo(204);

    assertThat(call("GET", "/api/conversations/" + cid, m.token(), null).status()).isEqualTo(404);
    assertThat(
            mongo
                .getCollection("messages")
                .countDocuments(new org.bson.Document("projectId", m.projectId())))
        .isZero();
  }

  @Test
  void healthShowsTheAiComponent() {
    Response health = call("GET", "/actuator/health", null, null);
    assertThat(health.status()).isEqualTo(200);
    assertThat(health.json().get("components").get("ai").get("status").asString()).isEqualTo("UP");
  }
}
