package dev.constellation.gateway;

import io.netty.handler.codec.http.HttpHeaderNames;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.http.server.HttpServerRequest;
import reactor.netty.http.server.HttpServerResponse;
import tools.jackson.databind.json.JsonMapper;

/**
 * Stands in for a downstream service over a real socket: echoes what it received as JSON, streams
 * server-sent events, echoes WebSocket frames, and can be stopped and started on the same port.
 */
final class FakeService {
  private static final JsonMapper JSON = new JsonMapper();

  final String name;
  private int port;
  private volatile DisposableServer server;
  final AtomicInteger requests = new AtomicInteger();
  final AtomicReference<String> lastWebSocketUri = new AtomicReference<>();
  volatile CountDownLatch streamCancelled = new CountDownLatch(1);

  private FakeService(String name) {
    this.name = name;
  }

  static FakeService start(String name) {
    FakeService fake = new FakeService(name);
    fake.server = fake.bind(0);
    fake.port = fake.server.port();
    return fake;
  }

  String baseUrl() {
    return "http://127.0.0.1:" + port;
  }

  synchronized void stop() {
    server.disposeNow(Duration.ofSeconds(5));
  }

  synchronized void restart() {
    server = bind(port);
  }

  private DisposableServer bind(int onPort) {
    return HttpServer.create()
        .host("127.0.0.1")
        .port(onPort)
        .route(
            routes ->
                routes
                    .ws(
                        request -> {
                          boolean terminal = request.path().endsWith("/terminal");
                          if (terminal) lastWebSocketUri.set(request.uri());
                          return terminal;
                        },
                        (in, out) ->
                            out.sendString(
                                Flux.concat(
                                    Mono.just("welcome " + lastWebSocketUri.get()),
                                    in.receive().asString().map(text -> "echo:" + text))),
                        reactor.netty.http.server.WebsocketServerSpec.builder().build())
                    .post("/api/conversations/{cid}/messages", this::stream)
                    .route(request -> true, this::echo))
        .bindNow(Duration.ofSeconds(5));
  }

  private Mono<Void> echo(HttpServerRequest request, HttpServerResponse response) {
    requests.incrementAndGet();
    // X-Fake-Delay-Ms: answer that much later, as a busy service would (capacity tests).
    String delay = request.requestHeaders().get("x-fake-delay-ms");
    return Mono.delay(Duration.ofMillis(delay == null ? 0 : Long.parseLong(delay)))
        .then(request.receive().aggregate().asString(StandardCharsets.UTF_8).defaultIfEmpty(""))
        .flatMap(
            body -> {
              Map<String, Object> echo = new LinkedHashMap<>();
              echo.put("service", name);
              echo.put("method", request.method().name());
              echo.put("uri", request.uri());
              Map<String, String> headers = new LinkedHashMap<>();
              request
                  .requestHeaders()
                  .forEach(
                      h ->
                          headers.merge(
                              h.getKey().toLowerCase(), h.getValue(), (a, b) -> a + "," + b));
              echo.put("headers", headers);
              echo.put("bodyLength", body.length());
              return response
                  .header(HttpHeaderNames.CONTENT_TYPE, "application/json")
                  // A downstream trying to set a weaker policy must not win.
                  .header("Content-Security-Policy", "default-src *")
                  .sendString(Mono.just(JSON.writeValueAsString(echo)))
                  .then();
            });
  }

  /** "endless" streams until the client goes away; any other id sends five deltas, then done. */
  private Mono<Void> stream(HttpServerRequest request, HttpServerResponse response) {
    requests.incrementAndGet();
    boolean endless = "endless".equals(request.param("cid"));
    CountDownLatch cancelled = streamCancelled;
    Flux<String> events =
        Flux.interval(Duration.ofMillis(300))
            .take(endless ? Long.MAX_VALUE : 5)
            .map(i -> "event: delta\ndata: {\"text\":\"part" + i + "\"}\n\n")
            .concatWith(
                endless ? Flux.empty() : Flux.just("event: done\ndata: {\"messageId\":\"m1\"}\n\n"))
            .doOnCancel(cancelled::countDown);
    return request
        .receive()
        .then()
        .then(
            response
                .header(HttpHeaderNames.CONTENT_TYPE, "text/event-stream")
                .sendString(events, StandardCharsets.UTF_8)
                .then());
  }
}
