package dev.constellation.workspace.lsp;

import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.terminal.TerminalTicket;
import dev.constellation.workspace.concurrency.ConcurrencyLimits;
import dev.constellation.workspace.concurrency.TooManyConcurrentException;
import dev.constellation.workspace.config.LanguageServerProperties;
import dev.constellation.workspace.lifecycle.ActivityTracker;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.lifecycle.WorkspaceStatus;
import dev.constellation.workspace.runtime.StdioProcess;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import org.springframework.web.socket.handler.TextWebSocketHandler;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One language server per socket, started in the running workspace when the socket opens and ended
 * when it closes. Each text frame is one JSON-RPC message, both ways (vscode-ws-jsonrpc's
 * convention); the server's stdio carries them with Content-Length headers (lsp4j's framing).
 */
@Component
class LanguageServerHandler extends TextWebSocketHandler {
  private static final Logger log = LoggerFactory.getLogger(LanguageServerHandler.class);
  private static final String CONNECTION = "lsp.connection";
  private static final String SLOT = "lsp.slot";
  private static final String INPUT = "lsp.input";
  private static final String PARTIAL = "lsp.partial";

  /** The workspace is not running; the IDE offers Start rather than starting it. */
  static final CloseStatus WORKSPACE_STOPPED = LanguageServerRegistry.WORKSPACE_STOPPED;

  /** The workspace's image has no server for this language. */
  static final CloseStatus NOT_INSTALLED = new CloseStatus(4404, "language-server-not-installed");

  static final CloseStatus ENDED = CloseStatus.SERVER_ERROR.withReason("language server ended");
  static final CloseStatus TOO_LARGE_OUTPUT =
      CloseStatus.SERVER_ERROR.withReason("language server message too large");
  static final CloseStatus TOO_MANY =
      CloseStatus.POLICY_VIOLATION.withReason("too many language servers");
  static final CloseStatus INPUT_FULL =
      CloseStatus.POLICY_VIOLATION.withReason("language server does not read its input");
  static final CloseStatus NOT_JSON_RPC =
      CloseStatus.POLICY_VIOLATION.withReason("not a JSON-RPC message");
  static final CloseStatus TOO_SLOW =
      CloseStatus.POLICY_VIOLATION.withReason("client does not read messages");

  private final WorkspaceService workspaces;
  private final WorkspaceRuntime runtime;
  private final LanguageServerRegistry registry;
  private final ActivityTracker activity;
  private final AuditPublisher audit;
  private final JsonMapper json;
  private final ConcurrencyLimits concurrency;
  private final LanguageServerProperties settings;

  LanguageServerHandler(
      WorkspaceService workspaces,
      WorkspaceRuntime runtime,
      LanguageServerRegistry registry,
      ActivityTracker activity,
      AuditPublisher audit,
      JsonMapper json,
      ConcurrencyLimits concurrency,
      LanguageServerProperties settings) {
    this.workspaces = workspaces;
    this.runtime = runtime;
    this.registry = registry;
    this.activity = activity;
    this.audit = audit;
    this.json = json;
    this.concurrency = concurrency;
    this.settings = settings;
  }

  /** What one socket holds besides its server: the writer and the URI rewriting. */
  private record Bridge(StdioProcess process, ServerFraming.Writer writer, WorkspaceUris uris) {}

  @Override
  public void afterConnectionEstablished(WebSocketSession raw) {
    TerminalTicket holder =
        (TerminalTicket) raw.getAttributes().get(LanguageServerHandshake.HOLDER);
    String projectId = (String) raw.getAttributes().get(LanguageServerHandshake.PROJECT);
    String language = (String) raw.getAttributes().get(LanguageServerHandshake.LANGUAGE);
    // A socket never starts a workspace: Stop stays stopped however often the IDE reconnects.
    // A paused one is resumed, though: it only froze because nobody used it.
    if (workspaces.statusResumingPaused(projectId).status() != WorkspaceStatus.RUNNING) {
      close(raw, WORKSPACE_STOPPED);
      return;
    }
    List<String> command = Languages.command(language).orElse(null);
    if (command == null) {
      close(raw, NOT_INSTALLED);
      return;
    }
    ConcurrencyLimits.Slot slot;
    try {
      slot =
          concurrency.acquire(ConcurrencyLimits.Kind.LANGUAGE_SERVER, holder.userId(), projectId);
    } catch (TooManyConcurrentException e) {
      log.info("refused a {} server in project {}: {}", language, projectId, e.getMessage());
      close(raw, TOO_MANY);
      return;
    }
    raw.getAttributes().put(SLOT, slot);
    // Messages come from the server's reader thread: the decorator serialises sends and bounds
    // what waits for a slow client.
    WebSocketSession session =
        new ConcurrentWebSocketSessionDecorator(
            raw, (int) settings.sendTimeLimit().toMillis(), settings.maxPendingOutputBytes());
    StdioProcess process;
    WorkspaceUris uris;
    try {
      process = runtime.spawn(projectId, command, settings.maxPendingInputBytes());
      uris = WorkspaceUris.of(runtime.workspaceRoot(projectId));
    } catch (RuntimeException e) {
      log.warn("could not start a {} server in project {}: {}", language, projectId, e.toString());
      slot.close();
      close(raw, CloseStatus.SERVER_ERROR.withReason("workspace unavailable"));
      return;
    }
    raw.getAttributes()
        .put(CONNECTION, new Bridge(process, new ServerFraming.Writer(process.stdin()), uris));
    registry.add(
        new LanguageServerRegistry.Connection(
            raw.getId(), projectId, language, holder.user(), session, process));
    Thread reader =
        new Thread(
            () -> relay(raw, session, process, uris, projectId, language),
            "lsp-" + language + "-" + projectId);
    reader.setDaemon(true);
    reader.start();
    audit.publish(
        "lsp.open",
        holder.userId(),
        projectId,
        Map.of("runtime", runtime.name(), "language", language));
    activity.touch(projectId);
  }

  /** Passes the server's messages to the client until either ends. */
  private void relay(
      WebSocketSession raw,
      WebSocketSession session,
      StdioProcess process,
      WorkspaceUris uris,
      String projectId,
      String language) {
    var reader =
        new ServerFraming.Reader(
            process.stdout(),
            settings.maxServerMessageBytes(),
            message -> {
              if (!session.isOpen()) return;
              try {
                session.sendMessage(
                    new TextMessage(uris == null ? message : uris.toClient(message)));
              } catch (IOException | RuntimeException e) {
                log.info(
                    "closing the {} server of project {}: a message could not be sent ({})",
                    language,
                    projectId,
                    e.toString());
                close(raw, TOO_SLOW);
                process.close();
              }
            });
    boolean tooLarge;
    try {
      tooLarge = reader.run();
    } catch (RuntimeException e) {
      log.info("the {} server of project {} broke off: {}", language, projectId, e.toString());
      tooLarge = false;
    }
    if (!raw.isOpen()) return;
    if (tooLarge) {
      close(raw, TOO_LARGE_OUTPUT);
      process.close();
      return;
    }
    // The socket is still open, so the server ended on its own (or with its workspace, which the
    // registry reports as 4409 first).
    OptionalInt exit = process.exitCode();
    log.info("the {} server of project {} ended (exit {})", language, projectId, exit);
    if (!raw.isOpen()) return;
    if (exit.isPresent() && exit.getAsInt() == 127) close(raw, NOT_INSTALLED);
    else if (!runtime.isRunning(projectId)) close(raw, WORKSPACE_STOPPED);
    else close(raw, ENDED);
  }

  /**
   * The container hands a message over in pieces of its text buffer, which it allocates for every
   * socket (terminals too) and so is kept at the terminal's size; a language server's larger
   * messages are joined here, up to its own limit.
   */
  @Override
  public boolean supportsPartialMessages() {
    return true;
  }

  /** The whole message once its last piece arrived; null before that, or when it grew too big. */
  private String whole(WebSocketSession session, TextMessage piece) {
    StringBuilder parts = (StringBuilder) session.getAttributes().get(PARTIAL);
    int size = (parts == null ? 0 : parts.length()) + piece.getPayloadLength();
    if (size > settings.maxMessageBytes()) {
      session.getAttributes().remove(PARTIAL);
      close(session, CloseStatus.TOO_BIG_TO_PROCESS);
      if (session.getAttributes().get(CONNECTION) instanceof Bridge bridge)
        bridge.process().close();
      return null;
    }
    if (piece.isLast() && parts == null) return piece.getPayload();
    if (parts == null) {
      parts = new StringBuilder();
      session.getAttributes().put(PARTIAL, parts);
    }
    parts.append(piece.getPayload());
    if (!piece.isLast()) return null;
    session.getAttributes().remove(PARTIAL);
    return parts.toString();
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    Bridge bridge = (Bridge) session.getAttributes().get(CONNECTION);
    if (bridge == null) return;
    String text = whole(session, message);
    if (text == null) return;
    InputWindow window =
        (InputWindow) session.getAttributes().computeIfAbsent(INPUT, k -> new InputWindow());
    if (!window.admit(
        text.length(), settings.maxPendingInputBytes(), settings.sendTimeLimit().toNanos())) {
      close(session, INPUT_FULL);
      bridge.process().close();
      return;
    }
    if (!isJsonRpcObject(text)) {
      close(session, NOT_JSON_RPC);
      bridge.process().close();
      return;
    }
    // An editor left open while its workspace paused thaws it with its next message; for a
    // running workspace this is one in-memory lookup, nothing more.
    String projectId = (String) session.getAttributes().get(LanguageServerHandshake.PROJECT);
    if (workspaces.isPaused(projectId)) {
      try {
        workspaces.resumeIfPaused(projectId);
      } catch (RuntimeException e) {
        log.warn("could not resume the workspace of project {}: {}", projectId, e.toString());
      }
    }
    try {
      bridge.writer().send(bridge.uris() == null ? text : bridge.uris().toServer(text));
    } catch (IOException | RuntimeException e) {
      log.info(
          "closing a language server of project {}: {}",
          session.getAttributes().get(LanguageServerHandshake.PROJECT),
          e.toString());
      close(session, INPUT_FULL);
      bridge.process().close();
      return;
    }
    activity.touch((String) session.getAttributes().get(LanguageServerHandshake.PROJECT));
  }

  /** One JSON-RPC 2.0 message (not a batch, which LSP does not use). */
  private boolean isJsonRpcObject(String text) {
    try {
      JsonNode node = json.readTree(text);
      return node.isObject() && "2.0".equals(node.path("jsonrpc").asString(null));
    } catch (RuntimeException e) {
      return false;
    }
  }

  /**
   * What one socket sent within the current window: a server's stdin is a queue whose reader may
   * lag, so the rate is bounded far above what typing or opening files needs.
   */
  private static final class InputWindow {
    long startedAt = System.nanoTime();
    long bytes;

    synchronized boolean admit(int length, long limit, long windowNanos) {
      long now = System.nanoTime();
      if (now - startedAt > windowNanos) {
        startedAt = now;
        bytes = 0;
      }
      bytes += length;
      return bytes <= limit;
    }
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    registry.remove(session.getId());
    if (session.getAttributes().get(SLOT) instanceof ConcurrencyLimits.Slot slot) slot.close();
    if (session.getAttributes().get(CONNECTION) instanceof Bridge bridge) bridge.process().close();
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    log.debug("language-server transport error: {}", exception.toString());
  }

  static void close(WebSocketSession session, CloseStatus status) {
    try {
      if (session.isOpen()) session.close(status);
    } catch (IOException | RuntimeException ignored) {
      // already closing
    }
  }
}
