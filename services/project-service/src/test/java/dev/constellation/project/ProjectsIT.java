package dev.constellation.project;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

class ProjectsIT extends IntegrationTest {

  @Test
  void listsTheShippedTemplatesWithoutAToken() {
    var response = api.get("/api/templates", null);
    assertThat(response.status()).isEqualTo(200);
    List<String> ids = new ArrayList<>();
    response
        .json()
        .forEach(
            t -> {
              ids.add(t.get("id").asString());
              assertThat(t.get("name").asString()).isNotBlank();
              assertThat(t.has("description")).isTrue();
              assertThat(t.has("language")).isTrue();
            });
    assertThat(ids).contains("blank", "node", "python", "java-maven", "static-web");
  }

  @ParameterizedTest
  @ValueSource(strings = {"blank", "node", "python", "java-maven", "static-web"})
  void createWritesExactlyTheTemplatesFiles(String templateId) throws IOException {
    String owner = Api.newUserId();
    JsonNode project = createProject(Api.token(owner), "From " + templateId, templateId);

    Path dir = WORKSPACES.resolve(project.get("id").asString());
    Map<String, byte[]> expected = filesOf(Paths.get("target/classes/templates", templateId));
    expected.remove("template.json");
    assertThat(expected).isNotEmpty();
    Map<String, byte[]> actual = filesOf(dir);
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    expected.forEach((path, bytes) -> assertThat(actual.get(path)).as(path).isEqualTo(bytes));
  }

  @Test
  void answersTheContractsProjectShape() {
    String owner = Api.newUserId();
    var response =
        api.post(
            "/api/projects",
            Api.token(owner),
            Map.of("name", "  Shape  ", "description", "d", "templateId", "blank"));
    assertThat(response.status()).isEqualTo(201);
    assertThat(response.headers().firstValue("Location")).isPresent();
    JsonNode p = response.json();
    List<String> fields = new ArrayList<>();
    p.propertyNames().forEach(fields::add);
    assertThat(fields)
        .containsExactlyInAnyOrder(
            "id",
            "name",
            "description",
            "templateId",
            "ownerId",
            "members",
            "createdAt",
            "updatedAt",
            "lastOpenedAt");
    assertThat(p.get("name").asString()).isEqualTo("Shape");
    assertThat(p.get("ownerId").asString()).isEqualTo(owner);
    assertThat(p.get("members").get(0).get("userId").asString()).isEqualTo(owner);
    assertThat(p.get("members").get(0).get("role").asString()).isEqualTo("OWNER");
    assertThat(p.get("createdAt").asString()).endsWith("Z");
  }

  /** Generated clients read the success status from the document, not from the wire. */
  @Test
  void theOpenApiDocumentSaysCreatedWhereTheServiceAnswersCreated() {
    var response = api.get("/v3/api-docs", null);
    assertThat(response.status()).as(response.text()).isEqualTo(200);
    JsonNode paths = response.json().get("paths");
    for (String path : List.of("/api/projects", "/api/projects/import")) {
      List<String> codes = new ArrayList<>();
      paths.get(path).get("post").get("responses").propertyNames().forEach(codes::add);
      assertThat(codes).as(path).contains("201").doesNotContain("200");
      assertThat(paths.get(path).get("post").get("responses").get("201").get("content"))
          .as(path)
          .isNotNull();
    }
  }

  @Test
  void installingATemplateIsDroppingAFolder() throws IOException {
    Path folder = TEMPLATES.resolve("go-hello");
    Files.createDirectories(folder.resolve("cmd"));
    Files.writeString(
        folder.resolve("template.json"),
        "{\"name\":\"Go hello\",\"description\":\"d\",\"language\":\"go\"}");
    Files.writeString(folder.resolve("cmd/main.go"), "package main\n");
    Files.writeString(folder.resolve("go.mod"), "module hello\n");

    var templates = api.get("/api/templates", null).json();
    assertThat(templates.findValuesAsString("id")).contains("go-hello");

    JsonNode project = createProject(Api.token(Api.newUserId()), "Go", "go-hello");
    assertThat(filesOf(WORKSPACES.resolve(project.get("id").asString())).keySet())
        .containsExactlyInAnyOrder("cmd/main.go", "go.mod");
  }

  static Stream<Arguments> badCreates() {
    Map<String, Object> missingTemplate = new HashMap<>(Map.of("name", "x"));
    return Stream.of(
        Arguments.of(Map.of("name", "", "templateId", "blank"), "name"),
        Arguments.of(Map.of("name", "    ", "templateId", "blank"), "name"),
        Arguments.of(Map.of("name", "n".repeat(101), "templateId", "blank"), "name"),
        Arguments.of(Map.of("name", "n".repeat(200), "templateId", "blank"), "name"),
        Arguments.of(
            Map.of("name", "ok", "description", "d".repeat(2001), "templateId", "blank"),
            "description"),
        Arguments.of(Map.of("name", "ok", "templateId", "no-such-template"), "templateId"),
        Arguments.of(Map.of("name", "ok", "templateId", "../etc"), "templateId"),
        Arguments.of(missingTemplate, "templateId"));
  }

  @ParameterizedTest
  @MethodSource("badCreates")
  void refusesInvalidCreateNamingTheField(Map<String, Object> body, String field)
      throws IOException {
    long before = projectDirectories();
    var response = api.post("/api/projects", Api.token(Api.newUserId()), body);
    assertThat(response.status()).as(response.text()).isEqualTo(400);
    assertThat(response.headers().firstValue("Content-Type"))
        .hasValueSatisfying(v -> assertThat(v).startsWith("application/problem+json"));
    JsonNode problem = response.json();
    assertThat(problem.get("field").asString()).isEqualTo(field);
    assertThat(problem.get("requestId").asString()).isNotBlank();
    assertThat(projectDirectories()).isEqualTo(before);
  }

  @Test
  void acceptsANameOfExactly100CharactersAfterTrimming() {
    JsonNode p = createProject(Api.token(Api.newUserId()), "  " + "n".repeat(100) + "  ", "blank");
    assertThat(p.get("name").asString()).hasSize(100);
  }

  @Test
  void refusesRequestsWithoutAValidToken() {
    assertThat(api.get("/api/projects", null).status()).isEqualTo(401);
    assertThat(api.get("/api/projects", "not-a-token").status()).isEqualTo(401);
  }

  @Test
  void gettingAProjectRecordsWhenItWasOpened() {
    String token = Api.token(Api.newUserId());
    JsonNode created = createProject(token, "Open me", "blank");
    assertThat(created.get("lastOpenedAt").isNull()).isTrue();
    String id = created.get("id").asString();

    JsonNode got = api.get("/api/projects/" + id, token).json();
    assertThat(got.get("lastOpenedAt").isNull()).isFalse();
    JsonNode listed = api.get("/api/projects?q=Open%20me", token).json().get("items").get(0);
    assertThat(listed.get("lastOpenedAt").asString()).isEqualTo(got.get("lastOpenedAt").asString());
  }

  @Test
  void listsOnlyVisibleProjectsWithSearchPagingAndSort() {
    String me = Api.newUserId();
    String token = Api.token(me);
    createProject(token, "Bravo", "blank");
    createProject(token, "alpha", "blank");
    var charlie =
        api.post(
            "/api/projects",
            token,
            Map.of("name", "Charlie", "description", "has the ALPHA word", "templateId", "blank"));
    assertThat(charlie.status()).isEqualTo(201);
    createProject(Api.token(Api.newUserId()), "alpha of someone else", "blank");

    JsonNode all = api.get("/api/projects?sort=name,asc", token).json();
    assertThat(all.get("total").asLong()).isEqualTo(3);
    assertThat(all.get("items").findValuesAsString("name"))
        .containsExactly("Bravo", "Charlie", "alpha");

    JsonNode search = api.get("/api/projects?q=Alpha&sort=name,desc", token).json();
    assertThat(search.get("items").findValuesAsString("name")).containsExactly("alpha", "Charlie");

    JsonNode page1 = api.get("/api/projects?page=1&size=2&sort=createdAt,asc", token).json();
    assertThat(page1.get("page").asInt()).isEqualTo(1);
    assertThat(page1.get("size").asInt()).isEqualTo(2);
    assertThat(page1.get("total").asLong()).isEqualTo(3);
    assertThat(page1.get("items").findValuesAsString("name")).containsExactly("Charlie");

    JsonNode regexChars = api.get("/api/projects?q=.*", token).json();
    assertThat(regexChars.get("total").asLong()).isZero();

    assertThat(api.get("/api/projects?sort=ownerId", token).status()).isEqualTo(400);
    assertThat(api.get("/api/projects?sort=name,sideways", token).status()).isEqualTo(400);
    assertThat(api.get("/api/projects?size=0", token).status()).isEqualTo(400);
    assertThat(api.get("/api/projects?page=-1", token).status()).isEqualTo(400);
  }

  @Test
  void patchChangesOnlyTheGivenFieldsAndValidatesThem() {
    String token = Api.token(Api.newUserId());
    JsonNode p = createProject(token, "Before", "blank");
    String id = p.get("id").asString();

    var patched = api.patch("/api/projects/" + id, token, Map.of("description", "new words"));
    assertThat(patched.status()).isEqualTo(200);
    assertThat(patched.json().get("name").asString()).isEqualTo("Before");
    assertThat(patched.json().get("description").asString()).isEqualTo("new words");
    assertThat(instant(patched.json().get("updatedAt")))
        .isAfterOrEqualTo(instant(p.get("updatedAt")));

    assertThat(
            api.patch("/api/projects/" + id, token, Map.of("name", " "))
                .json()
                .get("field")
                .asString())
        .isEqualTo("name");
    assertThat(api.patch("/api/projects/" + id, token, Map.of("name", "x".repeat(101))).status())
        .isEqualTo(400);
  }

  @Test
  void rolesDecideWhatEachMemberMayDo() {
    String owner = Api.newUserId();
    String viewer = Api.newUserId();
    String editor = Api.newUserId();
    String ownerToken = Api.token(owner);
    String viewerToken = Api.token(viewer);
    String editorToken = Api.token(editor);
    String strangerToken = Api.token(Api.newUserId());
    String adminToken = Api.token(Api.newUserId(), "USER", "ADMIN");
    String id = createProject(ownerToken, "Roles", "blank").get("id").asString();
    setMember(ownerToken, id, viewer, "VIEWER");
    setMember(ownerToken, id, editor, "EDITOR");
    String base = "/api/projects/" + id;

    assertThat(api.get(base, viewerToken).status()).isEqualTo(200);
    assertThat(api.get(base + "/export", viewerToken).status()).isEqualTo(200);
    assertThat(api.patch(base, viewerToken, Map.of("name", "v")).status()).isEqualTo(403);
    assertThat(api.put(base + "/members/x", viewerToken, Map.of("role", "VIEWER")).status())
        .isEqualTo(403);
    assertThat(api.delete(base + "/members/" + editor, viewerToken).status()).isEqualTo(403);
    assertThat(api.delete(base, viewerToken).status()).isEqualTo(403);

    assertThat(api.patch(base, editorToken, Map.of("name", "Edited")).status()).isEqualTo(200);
    assertThat(api.put(base + "/members/x", editorToken, Map.of("role", "VIEWER")).status())
        .isEqualTo(403);
    assertThat(api.delete(base, editorToken).status()).isEqualTo(403);

    for (String outsider : List.of(strangerToken, adminToken)) {
      assertThat(api.get(base, outsider).status()).isEqualTo(404);
      assertThat(api.get(base + "/access", outsider).status()).isEqualTo(404);
      assertThat(api.get(base + "/export", outsider).status()).isEqualTo(404);
      assertThat(api.patch(base, outsider, Map.of("name", "x")).status()).isEqualTo(404);
      assertThat(api.put(base + "/members/x", outsider, Map.of("role", "OWNER")).status())
          .isEqualTo(404);
      assertThat(api.delete(base + "/members/" + owner, outsider).status()).isEqualTo(404);
      assertThat(api.delete(base, outsider).status()).isEqualTo(404);
      assertThat(api.get("/api/projects?q=Edited", outsider).json().get("total").asLong()).isZero();
    }
    assertThat(api.get("/api/projects/does-not-exist", ownerToken).status()).isEqualTo(404);
  }

  @Test
  void accessEndpointAnswersTheCallersRole() {
    String owner = Api.newUserId();
    String viewer = Api.newUserId();
    String id = createProject(Api.token(owner), "Access", "blank").get("id").asString();
    setMember(Api.token(owner), id, viewer, "VIEWER");

    JsonNode access = api.get("/api/projects/" + id + "/access", Api.token(viewer)).json();
    assertThat(access.get("projectId").asString()).isEqualTo(id);
    assertThat(access.get("userId").asString()).isEqualTo(viewer);
    assertThat(access.get("role").asString()).isEqualTo("VIEWER");
    assertThat(
            api.get("/api/projects/" + id + "/access", Api.token(owner))
                .json()
                .get("role")
                .asString())
        .isEqualTo("OWNER");
    assertThat(api.get("/api/projects/" + id + "/access", null).status()).isEqualTo(401);
  }

  private static java.time.Instant instant(JsonNode node) {
    return java.time.Instant.parse(node.asString());
  }

  static long projectDirectories() throws IOException {
    try (Stream<Path> s = Files.list(WORKSPACES)) {
      return s.filter(p -> !p.getFileName().toString().startsWith(".")).count();
    }
  }

  static Map<String, byte[]> filesOf(Path root) throws IOException {
    Map<String, byte[]> files = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(root)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        files.put(root.relativize(p).toString().replace('\\', '/'), Files.readAllBytes(p));
      }
    }
    return files;
  }
}
