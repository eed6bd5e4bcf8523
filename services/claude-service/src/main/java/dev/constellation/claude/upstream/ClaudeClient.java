package dev.constellation.claude.upstream;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.RequestOptions;
import com.anthropic.core.Timeout;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.AnthropicServiceException;
import com.anthropic.errors.SseException;
import com.anthropic.models.messages.CacheControlEphemeral;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.MessageDeltaUsage;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlockParam;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolChoice;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.messages.ToolUseBlockParam;
import com.anthropic.models.messages.Usage;
import dev.constellation.claude.config.ClaudeProperties;
import dev.constellation.common.problem.ApiException;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.annotation.PreDestroy;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CancellationException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import tools.jackson.databind.json.JsonMapper;

/**
 * The one door to Anthropic's Messages API (the only code that imports the SDK). Retries 429, 529,
 * 5xx and connection failures itself, with backoff and jitter in a bounded time, so that the SDK's
 * own retries cannot stretch a user's wait unboundedly.
 */
@Component
public class ClaudeClient {
  private static final Logger log = LoggerFactory.getLogger(ClaudeClient.class);
  private static final JsonMapper INPUT_JSON = JsonMapper.builder().build();

  private final ClaudeProperties.Anthropic settings;
  private final RetryPolicy retry;
  private final AnthropicClient client;
  private final MeterRegistry meters;

  public ClaudeClient(ClaudeProperties properties, MeterRegistry meters) {
    this.settings = properties.anthropic();
    this.retry = RetryPolicy.of(properties.retry());
    this.meters = meters;
    this.client =
        settings.configured()
            ? AnthropicOkHttpClient.builder()
                .apiKey(settings.apiKey())
                .baseUrl(settings.baseUrl())
                .maxRetries(0)
                .timeout(
                    Timeout.builder()
                        .connect(settings.connectTimeout())
                        .read(settings.idleTimeout())
                        .request(settings.callTimeout())
                        .build())
                .build()
            : null;
  }

  public boolean configured() {
    return client != null;
  }

  public String model() {
    return settings.model();
  }

  /** Fails with a 503 problem that tells the operator what to set. */
  public void requireConfigured() {
    if (client == null) {
      throw new ApiException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "ai-not-configured",
          "AI not configured",
          "The AI assistant is not configured on this installation: set ANTHROPIC_API_KEY in .env (or the environment) and restart claude-service.");
    }
  }

  /**
   * Streams an answer, handing each text delta to {@code onText} as it arrives. An exception thrown
   * by {@code onText} (the client went away) stops and cancels the upstream request. {@code
   * control} sees the tokens counted so far even when this ends with an exception.
   */
  public Completion stream(Prompt prompt, Consumer<String> onText, StreamControl control) {
    requireConfigured();
    MessageCreateParams params = toParams(prompt, null);
    RequestOptions options =
        RequestOptions.builder()
            .timeout(
                Timeout.builder()
                    .connect(settings.connectTimeout())
                    .read(settings.idleTimeout())
                    .request(settings.streamTimeout())
                    .build())
            .build();
    long started = System.nanoTime();
    StreamResponse<RawMessageStreamEvent> response =
        withRetries("stream", () -> client.messages().createStreaming(params, options), control);
    control.attach(response);
    StringBuilder text = new StringBuilder();
    // Blocks by their index: a StringBuilder of text, or a tool call whose input JSON arrives in
    // pieces.
    Map<Long, Object[]> blocks = new TreeMap<>();
    long input = 0, cacheRead = 0, cacheCreation = 0, output = 0;
    String stopReason = null;
    boolean first = true;
    try (response) {
      for (RawMessageStreamEvent event : response) {
        if (event.isContentBlockStart()) {
          var start = event.asContentBlockStart();
          var block = start.contentBlock();
          if (block.isToolUse()) {
            ToolUseBlock use = block.asToolUse();
            blocks.put(start.index(), new Object[] {use.id(), use.name(), new StringBuilder()});
          } else if (block.isText()) {
            blocks.put(start.index(), new Object[] {new StringBuilder(block.asText().text())});
          }
        } else if (event.isContentBlockDelta()
            && event.asContentBlockDelta().delta().isInputJson()) {
          Object[] b = blocks.get(event.asContentBlockDelta().index());
          if (b != null && b.length == 3) {
            ((StringBuilder) b[2])
                .append(event.asContentBlockDelta().delta().asInputJson().partialJson());
          }
        } else if (event.isMessageStart()) {
          Usage usage = event.asMessageStart().message().usage();
          input = usage.inputTokens();
          output = usage.outputTokens();
          cacheRead = usage.cacheReadInputTokens().orElse(0L);
          cacheCreation = usage.cacheCreationInputTokens().orElse(0L);
        } else if (event.isContentBlockDelta()) {
          var delta = event.asContentBlockDelta().delta().text();
          if (delta.isPresent() && !delta.get().text().isEmpty()) {
            if (first) {
              first = false;
              Timer.builder("constellation.ai.time.to.first.token")
                  .tag("model", settings.model())
                  .register(meters)
                  .record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
            }
            text.append(delta.get().text());
            Object[] b = blocks.get(event.asContentBlockDelta().index());
            if (b != null && b.length == 1) ((StringBuilder) b[0]).append(delta.get().text());
            onText.accept(delta.get().text());
          }
        } else if (event.isMessageDelta()) {
          MessageDeltaUsage usage = event.asMessageDelta().usage();
          output = usage.outputTokens();
          input = usage.inputTokens().orElse(input);
          cacheRead = usage.cacheReadInputTokens().orElse(cacheRead);
          cacheCreation = usage.cacheCreationInputTokens().orElse(cacheCreation);
          stopReason =
              event
                  .asMessageDelta()
                  .delta()
                  .stopReason()
                  .map(StopReason::asString)
                  .orElse(stopReason);
        }
        control.usage(new TokenUsage(input, output, cacheRead, cacheCreation));
      }
    } catch (SseException e) {
      throw upstreamFailure(translateStreamError(e));
    } catch (AnthropicIoException e) {
      if (control.cancelled()) {
        throw new CancellationException("client went away");
      }
      throw upstreamFailure(translateIo(e));
    }
    if (control.cancelled()) {
      throw new CancellationException("client went away");
    }
    List<Prompt.Block> content = new ArrayList<>();
    for (Object[] b : blocks.values()) {
      if (b.length == 1) {
        if (((StringBuilder) b[0]).length() > 0) content.add(new Prompt.Text(b[0].toString()));
      } else {
        content.add(new Prompt.ToolUse((String) b[0], (String) b[1], parseInput(b[2].toString())));
      }
    }
    return new Completion(
        text.toString(),
        new TokenUsage(input, output, cacheRead, cacheCreation),
        stopReason,
        content);
  }

  /** The accumulated input JSON of a tool call; empty or broken JSON is an empty input. */
  static Map<String, Object> parseInput(String json) {
    if (json.isBlank()) return Map.of();
    try {
      Object value = INPUT_JSON.readValue(json, Object.class);
      if (value instanceof Map<?, ?> map) {
        Map<String, Object> out = new LinkedHashMap<>();
        map.forEach((k, v) -> out.put(String.valueOf(k), v));
        return out;
      }
    } catch (RuntimeException e) {
      log.warn("a tool call's input was not valid JSON ({} characters)", json.length());
    }
    return Map.of();
  }

  /** A plain, non-streamed answer (used for summaries). */
  public Completion complete(Prompt prompt) {
    requireConfigured();
    Message message =
        withRetries("complete", () -> client.messages().create(toParams(prompt, null)), null);
    StringBuilder text = new StringBuilder();
    for (ContentBlock block : message.content()) {
      block.text().ifPresent(t -> text.append(t.text()));
    }
    return new Completion(
        text.toString(),
        usageOf(message.usage()),
        message.stopReason().map(StopReason::asString).orElse(null));
  }

  /** Makes the model call {@code tool} and returns what it passed. */
  public ToolCall callTool(Prompt prompt, ToolSpec tool) {
    requireConfigured();
    Message message =
        withRetries("tool", () -> client.messages().create(toParams(prompt, tool)), null);
    for (ContentBlock block : message.content()) {
      if (block.isToolUse()) {
        ToolUseBlock use = block.asToolUse();
        @SuppressWarnings("unchecked")
        Map<String, Object> input = use._input().convert(Map.class);
        return new ToolCall(use.name(), input == null ? Map.of() : input, usageOf(message.usage()));
      }
    }
    throw upstreamFailure(
        new UpstreamException(
            HttpStatus.BAD_GATEWAY,
            "ai-bad-answer",
            "Unusable AI answer",
            "The AI answered without proposing edits; rephrase the instruction and try again.",
            200));
  }

  private MessageCreateParams toParams(Prompt prompt, ToolSpec tool) {
    MessageCreateParams.Builder builder =
        MessageCreateParams.builder().model(settings.model()).maxTokens(prompt.maxTokens());
    List<TextBlockParam> system = new ArrayList<>();
    for (Prompt.SystemBlock block : prompt.system()) {
      TextBlockParam.Builder b = TextBlockParam.builder().text(block.text());
      if (block.cached()) {
        b.cacheControl(CacheControlEphemeral.builder().build());
      }
      system.add(b.build());
    }
    if (!system.isEmpty()) {
      builder.systemOfTextBlockParams(system);
    }
    for (Prompt.Turn turn : prompt.turns()) {
      List<ContentBlockParam> content = new ArrayList<>();
      for (int i = 0; i < turn.blocks().size(); i++) {
        boolean cached = turn.cached() && i == turn.blocks().size() - 1;
        content.add(blockParam(turn.blocks().get(i), cached));
      }
      if ("assistant".equals(turn.role())) {
        builder.addAssistantMessageOfContentBlockParams(content);
      } else {
        builder.addUserMessageOfContentBlockParams(content);
      }
    }
    List<ToolSpec> tools = prompt.tools();
    for (int i = 0; i < tools.size(); i++) {
      Tool.Builder t = toolParam(tools.get(i));
      // The cache mark on the last tool makes instructions plus tools one cached prefix.
      if (i == tools.size() - 1) t.cacheControl(CacheControlEphemeral.builder().build());
      builder.addTool(t.build());
    }
    if (tool != null) {
      Tool.InputSchema.Properties.Builder properties = Tool.InputSchema.Properties.builder();
      tool.properties()
          .forEach(
              (name, schema) -> properties.putAdditionalProperty(name, JsonValue.from(schema)));
      builder.addTool(
          Tool.builder()
              .name(tool.name())
              .description(tool.description())
              .inputSchema(
                  Tool.InputSchema.builder()
                      .properties(properties.build())
                      .required(tool.required())
                      .build())
              .build());
      builder.toolChoice(ToolChoice.ofTool(tool.name()));
    }
    return builder.build();
  }

  private static Tool.Builder toolParam(ToolSpec tool) {
    Tool.InputSchema.Properties.Builder properties = Tool.InputSchema.Properties.builder();
    tool.properties()
        .forEach((name, schema) -> properties.putAdditionalProperty(name, JsonValue.from(schema)));
    return Tool.builder()
        .name(tool.name())
        .description(tool.description())
        .inputSchema(
            Tool.InputSchema.builder()
                .properties(properties.build())
                .required(tool.required())
                .build());
  }

  private static ContentBlockParam blockParam(Prompt.Block block, boolean cached) {
    CacheControlEphemeral mark = cached ? CacheControlEphemeral.builder().build() : null;
    if (block instanceof Prompt.Text t) {
      TextBlockParam.Builder b = TextBlockParam.builder().text(t.text());
      if (mark != null) b.cacheControl(mark);
      return ContentBlockParam.ofText(b.build());
    }
    if (block instanceof Prompt.ToolUse u) {
      ToolUseBlockParam.Input.Builder input = ToolUseBlockParam.Input.builder();
      u.input().forEach((k, v) -> input.putAdditionalProperty(k, JsonValue.from(v)));
      ToolUseBlockParam.Builder b =
          ToolUseBlockParam.builder().id(u.id()).name(u.name()).input(input.build());
      if (mark != null) b.cacheControl(mark);
      return ContentBlockParam.ofToolUse(b.build());
    }
    Prompt.ToolResult r = (Prompt.ToolResult) block;
    ToolResultBlockParam.Builder b =
        ToolResultBlockParam.builder()
            .toolUseId(r.toolUseId())
            .content(r.content())
            .isError(r.error());
    if (mark != null) b.cacheControl(mark);
    return ContentBlockParam.ofToolResult(b.build());
  }

  private <T> T withRetries(String operation, Supplier<T> call, StreamControl control) {
    long started = System.nanoTime();
    for (int attempt = 1; ; attempt++) {
      if (control != null && control.cancelled()) {
        throw new CancellationException("client went away");
      }
      UpstreamException failure;
      Duration retryAfter = null;
      boolean retryable;
      try {
        return call.get();
      } catch (AnthropicServiceException e) {
        failure = translate(e);
        retryable = RetryPolicy.retryableStatus(e.statusCode());
        retryAfter = retryAfter(e);
      } catch (AnthropicIoException e) {
        failure = translateIo(e);
        retryable = true;
      }
      Duration delay =
          retryable
              ? retry.nextDelay(attempt, retryAfter, Duration.ofNanos(System.nanoTime() - started))
              : null;
      log.warn(
          "AI upstream {} attempt {} failed with status {}{}",
          operation,
          attempt,
          failure.upstreamStatus(),
          delay == null ? "; giving up" : "; retrying in " + delay.toMillis() + " ms");
      if (delay == null) {
        throw upstreamFailure(failure);
      }
      try {
        Thread.sleep(delay.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw upstreamFailure(failure);
      }
    }
  }

  private UpstreamException upstreamFailure(UpstreamException e) {
    meters
        .counter(
            "constellation.ai.upstream.errors",
            "model",
            settings.model(),
            "status",
            String.valueOf(e.upstreamStatus()))
        .increment();
    return e;
  }

  private static Duration retryAfter(AnthropicServiceException e) {
    try {
      List<String> values = e.headers().values("retry-after");
      if (!values.isEmpty()) {
        return Duration.ofMillis((long) (Double.parseDouble(values.get(0).trim()) * 1000));
      }
    } catch (RuntimeException ignored) {
      // An HTTP-date or garbage: our own backoff applies.
    }
    return null;
  }

  // Details are written here, never copied from the upstream's body, which might echo the request.
  static UpstreamException translate(AnthropicServiceException e) {
    int status = e.statusCode();
    if (status == 401 || status == 403) {
      return new UpstreamException(
          HttpStatus.BAD_GATEWAY,
          "ai-credentials-refused",
          "AI credentials refused",
          "The AI provider refused this installation's API key; an administrator must check ANTHROPIC_API_KEY.",
          status);
    }
    if (status == 429) {
      return new UpstreamException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "ai-rate-limited",
          "AI provider busy",
          "The AI provider is rate limiting this installation; wait a minute and try again.",
          status);
    }
    if (status == 529 || status == 503) {
      return new UpstreamException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "ai-overloaded",
          "AI provider overloaded",
          "The AI provider is overloaded right now; wait a minute and try again.",
          status);
    }
    if (status >= 500 || status == 408) {
      return new UpstreamException(
          HttpStatus.BAD_GATEWAY,
          "ai-upstream-error",
          "AI provider error",
          "The AI provider failed to answer (status " + status + "); try again shortly.",
          status);
    }
    if (status == 400 || status == 413) {
      return new UpstreamException(
          HttpStatus.BAD_GATEWAY,
          "ai-request-rejected",
          "AI request rejected",
          "The AI provider rejected the request (status "
              + status
              + "), possibly because the attached context is too large; attach less and try again.",
          status);
    }
    return new UpstreamException(
        HttpStatus.BAD_GATEWAY,
        "ai-upstream-error",
        "AI provider error",
        "The AI provider answered with status " + status + "; try again or ask an administrator.",
        status);
  }

  private static UpstreamException translateStreamError(SseException e) {
    String type = e.errorType().map(Object::toString).orElse("error");
    if (type.contains("overloaded")) {
      return new UpstreamException(
          HttpStatus.SERVICE_UNAVAILABLE,
          "ai-overloaded",
          "AI provider overloaded",
          "The AI provider became overloaded during the answer; wait a minute and try again.",
          -1);
    }
    return new UpstreamException(
        HttpStatus.BAD_GATEWAY,
        "ai-stream-error",
        "AI answer interrupted",
        "The AI provider stopped the answer with an error ("
            + type.replaceAll("[^a-z_]", "")
            + "); try again.",
        -1);
  }

  private static UpstreamException translateIo(AnthropicIoException e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof InterruptedIOException) {
        return new UpstreamException(
            HttpStatus.GATEWAY_TIMEOUT,
            "ai-timeout",
            "AI provider timed out",
            "The AI provider did not answer in time; try again shortly.",
            0);
      }
    }
    return new UpstreamException(
        HttpStatus.BAD_GATEWAY,
        "ai-unreachable",
        "AI provider unreachable",
        "The AI provider cannot be reached from this installation; try again shortly or ask an administrator to check ANTHROPIC_BASE_URL.",
        0);
  }

  private static TokenUsage usageOf(Usage usage) {
    return new TokenUsage(
        usage.inputTokens(),
        usage.outputTokens(),
        usage.cacheReadInputTokens().orElse(0L),
        usage.cacheCreationInputTokens().orElse(0L));
  }

  @PreDestroy
  void close() {
    if (client != null) {
      client.close();
    }
  }
}
