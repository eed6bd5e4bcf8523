package dev.constellation.claude.config;

import jakarta.validation.Valid;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.validation.annotation.Validated;

/**
 * Every setting of claude-service, under {@code constellation.claude}.
 *
 * @param anthropic the AI upstream
 * @param retry how upstream trouble (429, 529, 5xx, connection failures) is retried
 * @param context what project context goes into a prompt
 * @param limits sizes the API accepts from callers
 * @param dailyTokenBudget tokens a user may spend per UTC day (AI_DAILY_TOKEN_BUDGET); 0 =
 *     unlimited
 * @param projectDailyTokenBudget tokens all members of one project together may spend per UTC day
 *     (AI_PROJECT_DAILY_TOKEN_BUDGET); 0 = unlimited
 * @param workspaceUrl base URL of workspace-service, which serves project files
 *     (WORKSPACE_SERVICE_URL)
 */
@Validated
@ConfigurationProperties(prefix = "constellation.claude")
public record ClaudeProperties(
    @Valid @NotNull Anthropic anthropic,
    @Valid @NotNull Retry retry,
    @Valid @NotNull Context context,
    @Valid @NotNull Limits limits,
    @Min(0) long dailyTokenBudget,
    @Min(0) long projectDailyTokenBudget,
    @NotBlank String workspaceUrl,
    @Valid @NotNull Agent agent) {

  /**
   * Agent mode: the loop's limits per turn and the approvals.
   *
   * @param maxSteps model calls per turn (AI_AGENT_MAX_STEPS)
   * @param maxTurnTokens tokens of all calls of a turn (AI_AGENT_MAX_TURN_TOKENS)
   * @param maxWall longest a turn may run, waiting for approvals included (AI_AGENT_MAX_WALL)
   * @param approvalTimeout an approval not given in this time counts as denied
   *     (AI_AGENT_APPROVAL_TIMEOUT)
   * @param contextWindow the model's context window in tokens, for the meter (AI_CONTEXT_WINDOW)
   * @param maxToolResultBytes tool result text given back to the model
   * @param elideAfterTokens once the turn's prompt passes this estimate, older tool results are
   *     replaced by a note
   */
  public record Agent(
      @Min(1) int maxSteps,
      @Min(1) long maxTurnTokens,
      @NotNull Duration maxWall,
      @NotNull Duration approvalTimeout,
      @Min(1) long contextWindow,
      @Min(1024) int maxToolResultBytes,
      @Min(1000) int elideAfterTokens) {}

  /**
   * @param apiKey secret key (ANTHROPIC_API_KEY); blank = AI not configured, chat answers 503
   * @param baseUrl API root without /v1 (ANTHROPIC_BASE_URL), so a proxy or a test server can stand
   *     in
   * @param model model id for chat, summaries and edits (ANTHROPIC_MODEL)
   * @param maxOutputTokens max_tokens of a chat answer
   * @param maxEditTokens max_tokens of a proposed-edits answer
   * @param connectTimeout time allowed to open a connection to the upstream
   * @param idleTimeout longest silence tolerated while reading a response (stream idle timeout)
   * @param streamTimeout longest a whole streamed answer may take
   * @param callTimeout longest a non-streamed call (summary, edits) may take
   */
  public record Anthropic(
      String apiKey,
      @NotBlank String baseUrl,
      @NotBlank String model,
      @Min(1) int maxOutputTokens,
      @Min(1) int maxEditTokens,
      @NotNull Duration connectTimeout,
      @NotNull Duration idleTimeout,
      @NotNull Duration streamTimeout,
      @NotNull Duration callTimeout) {

    public boolean configured() {
      return apiKey != null && !apiKey.isBlank();
    }

    // A record's generated toString would print the key into any log that prints the settings.
    @Override
    public String toString() {
      return "Anthropic[baseUrl="
          + baseUrl
          + ", model="
          + model
          + ", apiKey="
          + (configured() ? "***" : "unset")
          + "]";
    }
  }

  /**
   * @param maxAttempts attempts in all, the first included
   * @param initialBackoff wait before the first retry; doubles each time, with jitter
   * @param maxBackoff cap of one wait
   * @param maxTotal the whole retrying gives up once this much time has passed since the first
   *     attempt
   */
  public record Retry(
      @Min(1) int maxAttempts,
      @NotNull Duration initialBackoff,
      @NotNull Duration maxBackoff,
      @NotNull Duration maxTotal) {}

  /**
   * @param maxTreeEntries files and directories listed in the system prompt at most
   * @param maxFileBytes bytes read of one attached file; the rest is cut off with a note
   * @param maxAttachedBytes bytes of all attached files and the selection together
   * @param maxAttachedFiles files attachable to one message
   * @param historyTokenBudget estimated tokens of conversation history sent; older turns are
   *     summarized beyond it
   */
  public record Context(
      @Min(0) int maxTreeEntries,
      @Min(1) int maxFileBytes,
      @Min(1) int maxAttachedBytes,
      @Min(0) int maxAttachedFiles,
      @Min(100) int historyTokenBudget) {}

  /**
   * @param maxMessageChars characters of one user message
   * @param maxInstructionChars characters of one edit instruction
   * @param maxEditBytes bytes of one proposed file content
   * @param maxEdits edits in one proposal
   * @param streamConcurrency answers streamed at the same time by this instance; more get 503
   * @param userConcurrency AI calls (answers and edit proposals) one user may have running at once
   *     on this instance (AI_USER_CONCURRENCY); more get 429
   * @param emitterTimeout longest a client's event stream stays open
   * @param heartbeatInterval how often a comment line is written to an open event stream: keeps
   *     proxies from closing it and reveals a client that left, whose upstream call is then
   *     cancelled
   */
  public record Limits(
      @Min(1) int maxMessageChars,
      @Min(1) int maxInstructionChars,
      @Min(1) int maxEditBytes,
      @Min(1) int maxEdits,
      @Min(1) int streamConcurrency,
      @Min(1) int userConcurrency,
      @NotNull Duration emitterTimeout,
      @NotNull Duration heartbeatInterval) {}
}
