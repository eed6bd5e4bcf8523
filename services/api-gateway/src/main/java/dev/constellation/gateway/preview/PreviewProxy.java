package dev.constellation.gateway.preview;

import static org.springframework.cloud.gateway.support.RouteMetadataUtils.RESPONSE_TIMEOUT_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_REQUEST_URL_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.GATEWAY_ROUTE_ATTR;
import static org.springframework.cloud.gateway.support.ServerWebExchangeUtils.PRESERVE_HOST_HEADER_ATTRIBUTE;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.springframework.cloud.gateway.filter.GatewayFilter;
import org.springframework.cloud.gateway.filter.OrderedGatewayFilter;
import org.springframework.cloud.gateway.filter.RouteToRequestUrlFilter;
import org.springframework.cloud.gateway.handler.FilteringWebHandler;
import org.springframework.cloud.gateway.route.Route;
import org.springframework.http.HttpCookie;
import org.springframework.http.HttpHeaders;
import org.springframework.web.server.ServerWebExchange;
import org.springframework.web.util.UriComponentsBuilder;
import reactor.core.publisher.Mono;

/**
 * Hands an authorized preview request to Spring Cloud Gateway's own proxy (HTTP and WebSocket
 * routing filters) through one fixed route whose filter sets the request URL to the target
 * workspace-service named. Never follows redirects (the Netty client does not), rewrites {@code
 * Location} headers that point at the app's own localhost address to the preview origin, and lets
 * only the IDE's origin frame the answer.
 */
final class PreviewProxy {
  static final String TARGET_ATTR = PreviewProxy.class.getName() + ".target";

  /** Right after RouteToRequestUrlFilter, which would otherwise take the route's URI. */
  private static final GatewayFilter SET_TARGET =
      new OrderedGatewayFilter(
          (exchange, chain) -> {
            URI target = exchange.getRequiredAttribute(TARGET_ATTR);
            URI url =
                UriComponentsBuilder.fromUri(exchange.getRequest().getURI())
                    .scheme(target.getScheme())
                    .host(target.getHost())
                    .port(target.getPort())
                    .build(true)
                    .toUri();
            exchange.getAttributes().put(GATEWAY_REQUEST_URL_ATTR, url);
            return chain.filter(exchange);
          },
          RouteToRequestUrlFilter.ROUTE_TO_URL_FILTER_ORDER + 1);

  /**
   * One route for every preview (the handler caches filters per route, so a route per request would
   * grow without bound); "preview.invalid" is never dialled, {@link #SET_TARGET} replaces it.
   */
  private static final Route ROUTE =
      Route.async()
          .id("preview")
          .uri("http://preview.invalid")
          .predicate(exchange -> true)
          .filter(SET_TARGET)
          // Dev servers stream (webpack-hot-middleware's event stream): no response timeout.
          .metadata(RESPONSE_TIMEOUT_ATTR, -1)
          .build();

  private final FilteringWebHandler gateway;
  private final String cookieName;

  PreviewProxy(FilteringWebHandler gateway, String cookieName) {
    this.gateway = gateway;
    this.cookieName = cookieName;
  }

  Mono<Void> forward(
      ServerWebExchange exchange,
      PreviewServices.Target target,
      String previewOrigin,
      String ideOrigin) {
    String upstreamHost = "localhost:" + target.port();
    String forwardedHost = URI.create(previewOrigin).getRawAuthority();
    String scheme = URI.create(previewOrigin).getScheme();
    var request =
        exchange
            .getRequest()
            .mutate()
            .headers(
                h -> {
                  // The IDE's credentials and ours stay here; the app's own cookies go on.
                  h.remove(HttpHeaders.AUTHORIZATION);
                  h.remove(HttpHeaders.PROXY_AUTHORIZATION);
                  String cookies = otherCookies(exchange);
                  if (cookies.isEmpty()) h.remove(HttpHeaders.COOKIE);
                  else h.set(HttpHeaders.COOKIE, cookies);
                  // Dev servers check Host (and Vite the WebSocket's Origin) against localhost.
                  h.set(HttpHeaders.HOST, upstreamHost);
                  if (previewOrigin.equalsIgnoreCase(h.getOrigin()))
                    h.set(HttpHeaders.ORIGIN, "http://" + upstreamHost);
                })
            .build();
    ServerWebExchange forwarded = exchange.mutate().request(request).build();
    forwarded.getAttributes().put(PRESERVE_HOST_HEADER_ATTRIBUTE, true);
    forwarded
        .getAttributes()
        .put(
            PreviewForwardedHeaders.ATTR,
            Map.of("X-Forwarded-Host", forwardedHost, "X-Forwarded-Proto", scheme));
    forwarded.getAttributes().put(TARGET_ATTR, target.upstream());
    forwarded.getAttributes().put(GATEWAY_ROUTE_ATTR, ROUTE);
    var response = forwarded.getResponse();
    response.beforeCommit(
        () -> {
          HttpHeaders h = response.getHeaders();
          String location = h.getFirst(HttpHeaders.LOCATION);
          if (location != null)
            h.set(HttpHeaders.LOCATION, rewriteLocation(location, target, previewOrigin));
          // The app may not overwrite the preview session (same host, same name).
          List<String> setCookies = h.get(HttpHeaders.SET_COOKIE);
          if (setCookies != null) {
            List<String> kept =
                setCookies.stream().filter(c -> !c.trim().startsWith(cookieName + "=")).toList();
            h.put(HttpHeaders.SET_COOKIE, kept);
          }
          h.add("Content-Security-Policy", "frame-ancestors 'self' " + ideOrigin);
          h.remove("X-Frame-Options");
          return Mono.empty();
        });
    return gateway.handle(forwarded);
  }

  private String otherCookies(ServerWebExchange exchange) {
    return exchange.getRequest().getCookies().values().stream()
        .flatMap(List::stream)
        .filter(c -> !c.getName().equals(cookieName))
        .map(HttpCookie::toString)
        .collect(Collectors.joining("; "));
  }

  /**
   * An absolute Location at the app's own address (what an app behind {@code Host: localhost:P}
   * builds) becomes the preview origin; anything else — another host, an internal address — is
   * passed to the browser as it is, never followed here.
   */
  static String rewriteLocation(
      String location, PreviewServices.Target target, String previewOrigin) {
    for (String own :
        List.of(
            "http://localhost:" + target.port(),
            "http://127.0.0.1:" + target.port(),
            "http://" + target.hostLiteral() + ":" + target.port())) {
      if (location.regionMatches(true, 0, own, 0, own.length())) {
        String rest = location.substring(own.length());
        if (rest.isEmpty() || "/?#".indexOf(rest.charAt(0)) >= 0) return previewOrigin + rest;
      }
    }
    return location;
  }
}
