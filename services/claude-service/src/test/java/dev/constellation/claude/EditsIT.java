package dev.constellation.claude;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.claude.support.TestStack;
import dev.constellation.fakeanthropic.FakeAnthropic;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class EditsIT extends TestStack {

  @Test
  void proposedEditsAreValidatedAndCarryContentOnly() {
    Member m = member("EDITOR");
    NEIGHBOURS.file(m.projectId(), "src/main.py", "def main():\n    print('hi')\n");
    ANTHROPIC.enqueue(
        new FakeAnthropic.ToolUse(
            "propose_edits",
            Map.of(
                "summary",
                "Greets by name",
                "edits",
                List.of(
                    Map.of(
                        "path",
                        "src/main.py",
                        "action",
                        "modify",
                        "content",
                        "def main(name):\n    print('hi', name)\n"),
                    Map.of("path", "src/new.py", "action", "create", "content", "X = 1\n"),
                    Map.of("path", "old.txt", "action", "delete"),
                    Map.of("path", "../outside.py", "action", "create", "content", "evil"),
                    Map.of("path", "/etc/passwd", "action", "modify", "content", "evil"),
                    Map.of("path", "a\\b.py", "action", "create", "content", "x"),
                    Map.of("path", "bin.dat", "action", "create", "content", "a\u0000b"),
                    Map.of("path", "x.py", "action", "rename")))));

    Response r =
        call(
            "POST",
            "/api/projects/" + m.projectId() + "/ai/edits",
            m.token(),
            Map.of("instruction", "Greet by name", "paths", List.of("src/main.py")));

    assertThat(r.status()).isEqualTo(200);
    JsonNode body = r.json();
    assertThat(body.get("summary").asString()).isEqualTo("Greets by name");
    JsonNode edits = body.get("edits");
    assertThat(edits).hasSize(3);
    assertThat(edits.get(0).get("action").asString()).isEqualTo("modify");
    assertThat(edits.get(0).get("content").asString())
        .isEqualTo("def main(name):\n    print('hi', name)\n");
    assertThat(edits.get(0).has("diff")).isFalse();
    assertThat(edits.get(1).get("action").asString()).isEqualTo("create");
    assertThat(edits.get(2).get("action").asString()).isEqualTo("delete");
    assertThat(edits.get(2).has("content")).isFalse();
    assertThat(body.get("rejected"))
        .extracting(n -> n.get("reason").asString())
        .containsExactly(
            "path leaves the project (..)",
            "path is absolute",
            "path contains a backslash",
            "content is not text",
            "action must be create, modify or delete");

    JsonNode request = ANTHROPIC.received().get(0).body();
    assertThat(request.get("tools").get(0).get("name").asString()).isEqualTo("propose_edits");
    assertThat(request.get("tools").get(0).get("input_schema").get("properties").has("edits"))
        .isTrue();
    assertThat(request.get("tool_choice").get("type").asString()).isEqualTo("tool");
    assertThat(request.get("tool_choice").get("name").asString()).isEqualTo("propose_edits");
    assertThat(request.get("messages").toString()).contains("print('hi')", "Greet by name");
  }

  @Test
  void requestedPathsEscapingTheProjectAreRefused() {
    Member m = member("EDITOR");
    for (String bad : List.of("../x", "/abs", "a/../../b", "c:\\\\x", "nul\u0000byte")) {
      Response r =
          call(
              "POST",
              "/api/projects/" + m.projectId() + "/ai/edits",
              m.token(),
              Map.of("instruction", "x", "paths", List.of(bad)));
      assertThat(r.status()).as(bad).isEqualTo(400);
      assertThat(r.json().get("field").asString()).isEqualTo("paths[0]");
    }
    assertThat(ANTHROPIC.received()).isEmpty();
  }

  @Test
  void missingInstructionIsRefused() {
    Member m = member("EDITOR");
    Response r =
        call(
            "POST",
            "/api/projects/" + m.projectId() + "/ai/edits",
            m.token(),
            Map.of("paths", List.of()));
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.json().get("field").asString()).isEqualTo("instruction");
  }
}
