package dev.constellation.workspace.terminal;

import dev.constellation.common.audit.AuditPublisher;
import dev.constellation.common.terminal.TerminalTicket;
import dev.constellation.workspace.concurrency.ConcurrencyLimits;
import dev.constellation.workspace.concurrency.TooManyConcurrentException;
import dev.constellation.workspace.config.WorkspaceProperties;
import dev.constellation.workspace.lifecycle.ActivityTracker;
import dev.constellation.workspace.lifecycle.WorkspaceService;
import dev.constellation.workspace.lifecycle.WorkspaceStatus;
import dev.constellation.workspace.runtime.TerminalListener;
import dev.constellation.workspace.runtime.TerminalProcess;
import dev.constellation.workspace.runtime.TerminalSession;
import dev.constellation.workspace.runtime.WorkspaceRuntime;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.AbstractWebSocketHandler;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Attaches a terminal WebSocket to a session in the workspace (a new one, or {@code session=} to
 * reattach): output as binary frames, typed input both as binary and text frames, and JSON control
 * text frames ({@code session} first, {@code exit} when the shell ended; {@code resize} from the
 * client). Closing the socket only detaches: the session keeps running.
 */
@Component
class TerminalHandler extends AbstractWebSocketHandler {
  private static final Logger log = LoggerFactory.getLogger(TerminalHandler.class);
  private static final String PROCESS = "terminal.process";
  private static final String SLOT = "terminal.slot";
  private static final String INPUT = "terminal.input";
  static final CloseStatus INPUT_FULL =
      CloseStatus.POLICY_VIOLATION.withReason("input buffer full");
  static final CloseStatus TOO_SLOW =
      CloseStatus.POLICY_VIOLATION.withReason("client does not read output");
  static final CloseStatus TOO_MANY = CloseStatus.POLICY_VIOLATION.withReason("too many terminals");
  static final CloseStatus TOO_MANY_SESSIONS =
      CloseStatus.POLICY_VIOLATION.withReason("too many terminal sessions");

  /** The workspace is not running; the IDE offers Start rather than starting it. */
  static final CloseStatus WORKSPACE_STOPPED = new CloseStatus(4409, "workspace-stopped");

  /** No such session in this project (ended, killed, or another project's). */
  static final CloseStatus SESSION_NOT_FOUND = new CloseStatus(4404, "session-not-found");

  /** The attachment broke while the session lives on (the engine went away): reattach. */
  static final CloseStatus DETACHED = CloseStatus.GOING_AWAY.withReason("detached");

  // Tomcat's own bound on one blocking send; after it the send fails and the terminal is closed.
  private static final String TOMCAT_BLOCKING_SEND_TIMEOUT =
      "org.apache.tomcat.websocket.BLOCKING_SEND_TIMEOUT";
  private static final int DEFAULT_COLS = 80;
  private static final int DEFAULT_ROWS = 24;

  private final WorkspaceService workspaces;
  private final WorkspaceRuntime runtime;
  private final TerminalRegistry registry;
  private final ActivityTracker activity;
  private final AuditPublisher audit;
  private final JsonMapper json;
  private final ConcurrencyLimits concurrency;
  private final WorkspaceProperties.Terminal settings;
  private final TerminalSessions sessions;

  TerminalHandler(
      WorkspaceService workspaces,
      WorkspaceRuntime runtime,
      TerminalRegistry registry,
      ActivityTracker activity,
      AuditPublisher audit,
      JsonMapper json,
      ConcurrencyLimits concurrency,
      WorkspaceProperties properties,
      TerminalSessions sessions) {
    this.sessions = sessions;
    this.concurrency = concurrency;
    this.settings = properties.terminal();
    this.workspaces = workspaces;
    this.runtime = runtime;
    this.registry = registry;
    this.activity = activity;
    this.audit = audit;
    this.json = json;
  }

  @Override
  public void afterConnectionEstablished(WebSocketSession raw) throws IOException {
    TerminalTicket holder = (TerminalTicket) raw.getAttributes().get(TerminalHandshake.HOLDER);
    String projectId = (String) raw.getAttributes().get(TerminalHandshake.PROJECT);
    String wanted = (String) raw.getAttributes().get(TerminalHandshake.SESSION);
    // A socket never starts a workspace: Stop stays stopped however often the IDE reconnects.
    // A paused one is resumed, though: it only froze because nobody used it.
    if (workspaces.statusResumingPaused(projectId).status() != WorkspaceStatus.RUNNING) {
      close(raw, WORKSPACE_STOPPED);
      return;
    }
    if (wanted != null && !TerminalSession.validId(wanted)) {
      close(raw, SESSION_NOT_FOUND);
      return;
    }
    ConcurrencyLimits.Slot slot;
    try {
      slot = concurrency.acquire(ConcurrencyLimits.Kind.TERMINAL, holder.userId(), projectId);
    } catch (TooManyConcurrentException e) {
      log.info(
          "refused a terminal of user {} in project {}: {}",
          holder.userId(),
          projectId,
          e.getMessage());
      close(raw, TOO_MANY);
      return;
    }
    raw.getAttributes().put(SLOT, slot);
    if (raw instanceof NativeWebSocketSession n
        && n.getNativeSession() instanceof jakarta.websocket.Session s) {
      s.getUserProperties().put(TOMCAT_BLOCKING_SEND_TIMEOUT, settings.sendTimeLimit().toMillis());
    }
    // Output comes from a runtime thread while control messages are sent from here: the
    // decorator serialises sends and bounds what waits for a slow client; a client that does not
    // read is closed.
    WebSocketSession session =
        new ConcurrentWebSocketSessionDecorator(
            raw, (int) settings.sendTimeLimit().toMillis(), settings.maxPendingOutputBytes());
    TerminalProcess process;
    TerminalSession target;
    try {
      if (wanted == null) {
        target = sessions.create(projectId, DEFAULT_COLS, DEFAULT_ROWS).orElse(null);
        if (target == null) {
          slot.close();
          close(raw, TOO_MANY_SESSIONS);
          return;
        }
      } else {
        target = sessions.find(projectId, wanted).orElse(null);
        if (target == null) {
          slot.close();
          close(raw, SESSION_NOT_FOUND);
          return;
        }
      }
      session.sendMessage(
          new TextMessage(
              json.writeValueAsString(
                  Map.of("type", "session", "id", target.id(), "title", target.title()))));
      String sessionId = target.id();
      process =
          runtime
              .attach(
                  projectId,
                  sessionId,
                  DEFAULT_COLS,
                  DEFAULT_ROWS,
                  // A session created just now has no history to replay.
                  wanted == null ? 0 : settings.scrollbackLines(),
                  new TerminalListener() {
                    @Override
                    public void output(byte[] bytes) {
                      try {
                        if (session.isOpen()) session.sendMessage(new BinaryMessage(bytes));
                      } catch (IOException | RuntimeException e) {
                        // Too much waits for this client, or one send took too long: end it
                        // rather than buffer.
                        log.info(
                            "closing terminal in project {}: output could not be sent ({})",
                            projectId,
                            e.toString());
                        close(raw, TOO_SLOW);
                      }
                    }

                    @Override
                    public void ended(boolean sessionEnded, Integer exitCode) {
                      registry.remove(raw.getId());
                      log.info(
                          "terminal session {} in project {}: attachment ended (session ended {},"
                              + " exit {})",
                          sessionId,
                          projectId,
                          sessionEnded,
                          exitCode);
                      if (!sessionEnded) {
                        close(session, DETACHED);
                        return;
                      }
                      var exit = new java.util.LinkedHashMap<String, Object>();
                      exit.put("type", "exit");
                      exit.put("code", exitCode);
                      try {
                        session.sendMessage(new TextMessage(json.writeValueAsString(exit)));
                      } catch (IOException | RuntimeException e) {
                        log.info(
                            "could not tell a terminal in project {} that its shell exited: {}",
                            projectId,
                            e.toString());
                      }
                      close(session, CloseStatus.NORMAL.withReason("shell exited"));
                      sessions.announce(projectId);
                    }
                  })
              .orElse(null);
      if (process == null) {
        slot.close();
        close(raw, SESSION_NOT_FOUND);
        return;
      }
    } catch (RuntimeException e) {
      log.warn("could not open a terminal in project {}: {}", projectId, e.toString());
      slot.close();
      close(session, CloseStatus.SERVER_ERROR.withReason("workspace unavailable"));
      return;
    }
    raw.getAttributes().put(PROCESS, process);
    if (!raw.isOpen()) {
      // closed while attaching (the client left, or its output could not be sent)
      process.close();
      return;
    }
    registry.add(
        new TerminalRegistry.Connection(raw.getId(), projectId, holder.user(), session, process),
        holder.issuedAtMillis());
    audit.publish(
        "terminal.open",
        holder.userId(),
        projectId,
        Map.of(
            "runtime",
            runtime.name(),
            "session",
            target.id(),
            "new",
            String.valueOf(wanted == null)));
    activity.touch(projectId);
  }

  /**
   * A keystroke in a terminal left open while its workspace paused thaws it. An in-memory check for
   * a running workspace: typing costs nothing more than before.
   */
  private void resumeIfPaused(String projectId) {
    try {
      workspaces.resumeIfPaused(projectId);
    } catch (RuntimeException e) {
      log.warn("could not resume the workspace of project {}: {}", projectId, e.toString());
    }
  }

  @Override
  protected void handleBinaryMessage(WebSocketSession session, BinaryMessage message) {
    ByteBuffer payload = message.getPayload();
    byte[] bytes = new byte[payload.remaining()];
    payload.get(bytes);
    input(session, bytes);
  }

  @Override
  protected void handleTextMessage(WebSocketSession session, TextMessage message) {
    String text = message.getPayload();
    // The container admits larger text for language servers (see TerminalWebSocketConfiguration).
    if (text.length() > settings.maxMessageBytes()) {
      TerminalProcess process = (TerminalProcess) session.getAttributes().get(PROCESS);
      close(session, CloseStatus.TOO_BIG_TO_PROCESS);
      if (process != null) process.close();
      return;
    }
    if (text.startsWith("{\"type\"") || text.startsWith("{ \"type\"")) {
      TerminalProcess process = (TerminalProcess) session.getAttributes().get(PROCESS);
      try {
        JsonNode node = json.readTree(text);
        if ("resize".equals(node.path("type").asString()) && process != null) {
          int cols = node.path("cols").asInt(0);
          int rows = node.path("rows").asInt(0);
          if (cols > 0 && cols <= 1000 && rows > 0 && rows <= 1000) process.resize(cols, rows);
          return;
        }
      } catch (RuntimeException notJson) {
        // typed text that merely looks like a message: it goes to the shell
      }
    }
    input(session, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Input of one socket within the current window. tmux takes whatever its client is given and
   * queues it for a shell that does not read, so what waits cannot be seen from here: the amount
   * per window is bounded instead (far above typing or a paste).
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

  private void input(WebSocketSession session, byte[] bytes) {
    TerminalProcess process = (TerminalProcess) session.getAttributes().get(PROCESS);
    if (process == null) return;
    resumeIfPaused((String) session.getAttributes().get(TerminalHandshake.PROJECT));
    InputWindow window =
        (InputWindow) session.getAttributes().computeIfAbsent(INPUT, k -> new InputWindow());
    boolean admitted =
        window.admit(
            bytes.length, settings.maxPendingInputBytes(), settings.sendTimeLimit().toNanos());
    if (!admitted || !process.write(bytes)) {
      log.info(
          "closing terminal in project {}: the shell does not read its input",
          session.getAttributes().get(TerminalHandshake.PROJECT));
      close(session, INPUT_FULL);
      process.close();
      return;
    }
    activity.touch((String) session.getAttributes().get(TerminalHandshake.PROJECT));
  }

  @Override
  public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
    registry.remove(session.getId());
    if (session.getAttributes().get(SLOT) instanceof ConcurrencyLimits.Slot slot) slot.close();
    TerminalProcess process = (TerminalProcess) session.getAttributes().get(PROCESS);
    if (process != null) process.close();
  }

  @Override
  public void handleTransportError(WebSocketSession session, Throwable exception) {
    log.debug("terminal transport error: {}", exception.toString());
  }

  static void close(WebSocketSession session, CloseStatus status) {
    try {
      if (session.isOpen()) session.close(status);
    } catch (IOException | RuntimeException ignored) {
      // already closing
    }
  }
}
