package dev.constellation.system.load;

import dev.constellation.system.Api;
import dev.constellation.system.security.EdgeHttp;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import tools.jackson.databind.JsonNode;

/**
 * One simulated developer: an account, an own project, a seat in a team project whose workspace it
 * shares with its team, and one terminal there for the whole run. Each round it does what a person
 * in the IDE does — lists and opens projects, reads a file and saves it, runs a command, types in
 * its terminal, and (some of them) asks the AI — with a pause between steps. Every step is timed
 * and checked for what a user would notice (the saved text read back, the command's output, the
 * typed command's output line, the answer's end); a wrong answer is an error like a 5xx.
 */
final class Developer {
  private static final String PASSWORD = "correct horse battery staple";

  /** A step that did not do what the user asked. */
  static final class Failed extends Exception {
    Failed(String cause) {
      super(cause, null, false, false);
    }
  }

  interface Step {
    void run() throws Exception;
  }

  final int n;
  private final String gateway;
  private final EdgeHttp http;
  private final LoadPlan plan;
  private final boolean asksAi;
  Api.Session session;
  String ownProject;
  String teamProject;
  private LoadTerminal terminal;
  private String terminalSession;
  private int round;
  private long nextQuestionAt;
  private final String[] lastSaved = new String[2];

  Developer(int n, String gateway, LoadPlan plan) {
    this.n = n;
    this.gateway = gateway;
    // Its own client address, as on a real network: per-address limits are not what is measured.
    this.http = EdgeHttp.at(gateway);
    this.plan = plan;
    this.asksAi = n < plan.aiUsers();
  }

  /** Runs {@code step} as operation {@code operation}: timed when it succeeds, its cause if not. */
  static boolean step(Recorder recorder, String operation, Step step) {
    long started = System.nanoTime();
    try {
      step.run();
      recorder.ok(operation, System.nanoTime() - started);
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      recorder.failed(operation, "interrupted (the run's time limit)");
      return false;
    } catch (Failed e) {
      recorder.failed(operation, e.getMessage());
      return false;
    } catch (Exception e) {
      recorder.failed(operation, e.getClass().getSimpleName() + ": " + e.getMessage());
      return false;
    }
  }

  // ---- arriving

  void signUp(Recorder r) {
    String email =
        "load" + n + "-" + UUID.randomUUID().toString().substring(0, 8) + "@example.test";
    step(
        r,
        "sign up",
        () ->
            expect(
                http.post(
                    "/api/auth/register",
                    null,
                    json(Map.of("email", email, "password", PASSWORD, "displayName", "dev" + n))),
                202));
    step(
        r,
        "sign in",
        () -> {
          JsonNode body =
              expect(
                      http.post(
                          "/api/auth/login",
                          null,
                          json(Map.of("email", email, "password", PASSWORD))),
                      200)
                  .json();
          session =
              new Api.Session(
                  body.path("user").path("id").asString(),
                  email,
                  body.path("accessToken").asString(),
                  body.path("refreshToken").asString());
        });
  }

  String createProject(Recorder r, String name) {
    String[] id = new String[1];
    step(
        r,
        "create project",
        () ->
            id[0] =
                expect(
                        http.post(
                            "/api/projects",
                            token(),
                            json(Map.of("name", name, "templateId", "blank"))),
                        201)
                    .json()
                    .path("id")
                    .asString());
    return id[0];
  }

  void addMember(Recorder r, String project, Developer member) {
    step(
        r,
        "add member",
        () ->
            expect(
                http.send(
                    "PUT",
                    "/api/projects/" + project + "/members/" + member.session.userId(),
                    token(),
                    json(Map.of("role", "EDITOR")),
                    Map.of()),
                200));
  }

  /** Starts the project's workspace and waits until it runs (a terminal never starts it). */
  void startWorkspace(Recorder r, String project) {
    step(
        r,
        "start workspace",
        () -> {
          expect(
              http.post("/api/projects/" + project + "/workspace/start", token(), null), 200, 202);
          long deadline = System.nanoTime() + Duration.ofSeconds(120).toNanos();
          while (true) {
            String status =
                expect(http.get("/api/projects/" + project + "/workspace", token()), 200)
                    .json()
                    .path("status")
                    .asString();
            if (status.equals("RUNNING")) return;
            if (status.equals("FAILED") || System.nanoTime() > deadline)
              throw new Failed("workspace " + status);
            Thread.sleep(250);
          }
        });
  }

  /** Opens this developer's terminal in the team workspace and checks that the shell answers. */
  void openTerminal(Recorder r) {
    step(
        r,
        "open terminal",
        () -> {
          String ticket =
              expect(
                      http.post("/api/projects/" + teamProject + "/terminal/ticket", token(), null),
                      200)
                  .json()
                  .path("ticket")
                  .asString();
          terminal = LoadTerminal.open(gateway, teamProject, ticket, Duration.ofSeconds(60));
          terminalSession = terminal.session.get(60, java.util.concurrent.TimeUnit.SECONDS);
          if (!terminal.run("echo ready-" + n, "ready-" + n, Duration.ofSeconds(60)))
            throw new Failed("the shell did not answer in 60 s (" + terminal.closedBecause() + ")");
        });
  }

  // ---- working

  /** One round of work; false when the run's time is up. */
  void round(Recorder r, long deadline) throws InterruptedException {
    int i = round++;
    String project = i % 2 == 0 ? teamProject : ownProject;
    String file = "notes/dev-" + n + ".txt";
    String path =
        "/api/projects/" + project + "/files/content?path=" + URLEncoder.encode(file, UTF8);
    work(r, "list projects", () -> expect(http.get("/api/projects?size=20", token()), 200));
    if (over(deadline)) return;
    work(r, "open project", () -> expect(http.get("/api/projects/" + project, token()), 200));
    if (over(deadline)) return;
    work(
        r,
        "list files",
        () -> expect(http.get("/api/projects/" + project + "/files?path=", token()), 200));
    if (over(deadline)) return;
    String text = "dev " + n + " round " + i + " " + UUID.randomUUID() + "\n";
    work(
        r,
        "save file",
        () -> {
          expect(
              http.send(
                  "PUT",
                  path,
                  token(),
                  "application/octet-stream",
                  text.getBytes(StandardCharsets.UTF_8),
                  Map.of()),
              200);
          lastSaved[i % 2] = text;
        });
    if (over(deadline)) return;
    work(
        r,
        "read file",
        () -> {
          String body = expect(http.get(path, token()), 200).body();
          if (lastSaved[i % 2] != null && !body.equals(lastSaved[i % 2]))
            throw new Failed("read back something else than was saved");
        });
    if (over(deadline)) return;
    String marker = "x" + n + "-" + i;
    work(
        r,
        "exec",
        () -> {
          JsonNode result =
              expect(
                      http.post(
                          "/api/projects/" + teamProject + "/exec",
                          token(),
                          json(Map.of("command", "echo " + marker, "timeoutSeconds", 30))),
                      200)
                  .json();
          if (result.path("exitCode").asInt(-1) != 0
              || !result.path("stdout").asString().contains(marker))
            throw new Failed("wrong result " + result);
        });
    if (over(deadline)) return;
    String typed = "t" + n + "-" + i;
    work(
        r,
        "terminal command",
        () -> {
          if (terminal == null) throw new Failed("no terminal");
          if (!terminal.run("echo " + typed, typed, Duration.ofSeconds(30)))
            throw new Failed(
                "no echo within 30 s ("
                    + terminal.closedBecause()
                    + (terminal.echoed("echo " + typed)
                        ? "; the typed keys came back"
                        : "; not even the typed keys came back")
                    + ")");
        });
    if (asksAi && System.nanoTime() >= nextQuestionAt && !over(deadline)) {
      nextQuestionAt = System.nanoTime() + plan.aiInterval().toNanos();
      ask(r);
    }
  }

  /** A new chat in the own project (its history stays short) and one streamed answer. */
  private void ask(Recorder r) throws InterruptedException {
    String[] conversation = new String[1];
    boolean created =
        step(
            r,
            "ai new chat",
            () ->
                conversation[0] =
                    expect(
                            http.post(
                                "/api/projects/" + ownProject + "/conversations",
                                token(),
                                json(Map.of("title", "load " + n))),
                            201)
                        .json()
                        .path("id")
                        .asString());
    Thread.sleep(plan.think().toMillis());
    if (!created) return;
    work(
        r,
        "ai stream",
        () -> {
          EdgeHttp.Response answer =
              expect(
                  http.send(
                      "POST",
                      "/api/conversations/" + conversation[0] + "/messages",
                      token(),
                      "application/json",
                      json(Map.of("content", "Explain what a load test shows, in short."))
                          .getBytes(StandardCharsets.UTF_8),
                      Map.of("Accept", "text/event-stream")),
                  200);
          String events = answer.body();
          if (event("error").matcher(events).find())
            throw new Failed("error event: " + tail(events));
          if (!event("done").matcher(events).find())
            throw new Failed("the answer did not end with done: " + tail(events));
        });
  }

  /** Detaches the terminal and ends its session, as closing the tab and the session would. */
  void closeTerminal(Recorder r) {
    if (terminal == null) return;
    terminal.close();
    if (terminalSession != null)
      step(
          r,
          "end terminal session",
          () ->
              expect(
                  http.send(
                      "DELETE",
                      "/api/projects/" + teamProject + "/terminals/" + terminalSession,
                      token(),
                      null,
                      Map.of()),
                  204,
                  404));
  }

  void deleteProject(Recorder r, String project) {
    if (project == null) return;
    step(
        r,
        "delete project",
        () ->
            expect(http.send("DELETE", "/api/projects/" + project, token(), null, Map.of()), 204));
  }

  // ---- helpers

  private void work(Recorder r, String operation, Step s) throws InterruptedException {
    step(r, operation, s);
    Thread.sleep(plan.think().toMillis());
  }

  private static java.util.regex.Pattern event(String name) {
    return java.util.regex.Pattern.compile("(?m)^event: ?" + name + "\\s*$");
  }

  private static boolean over(long deadline) {
    return System.nanoTime() >= deadline;
  }

  private String token() {
    return session == null ? null : session.accessToken();
  }

  private static final java.nio.charset.Charset UTF8 = StandardCharsets.UTF_8;

  private static String json(Object body) {
    return Api.JSON.writeValueAsString(body);
  }

  static EdgeHttp.Response expect(EdgeHttp.Response response, int... statuses) throws Failed {
    for (int s : statuses) if (response.status() == s) return response;
    String retry = response.header("Retry-After");
    throw new Failed(
        "HTTP "
            + response.status()
            + (retry == null ? "" : " Retry-After " + retry)
            + " "
            + tail(response.body()));
  }

  private static String tail(String body) {
    String flat = body == null ? "" : body.replaceAll("\\s+", " ");
    return flat.length() > 200 ? flat.substring(0, 200) + "…" : flat;
  }
}
