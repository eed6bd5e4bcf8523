package dev.constellation.gateway.web;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.springframework.mock.http.server.reactive.MockServerHttpRequest;

class TrustedProxiesTest {
  private static final TrustedProxies TRAEFIK =
      TrustedProxies.of(List.of("172.30.0.0/24", "fd00:30::/64", "10.9.9.9"));

  @Test
  void matchesAddressesInsideEachBlockOnly() throws Exception {
    assertThat(TRAEFIK.contains(InetAddress.getByName("172.30.0.1"))).isTrue();
    assertThat(TRAEFIK.contains(InetAddress.getByName("172.30.0.255"))).isTrue();
    assertThat(TRAEFIK.contains(InetAddress.getByName("172.30.1.0"))).isFalse();
    assertThat(TRAEFIK.contains(InetAddress.getByName("172.31.0.1"))).isFalse();
    assertThat(TRAEFIK.contains(InetAddress.getByName("10.9.9.9"))).isTrue();
    assertThat(TRAEFIK.contains(InetAddress.getByName("10.9.9.8"))).isFalse();
    assertThat(TRAEFIK.contains(InetAddress.getByName("fd00:30::abcd"))).isTrue();
    assertThat(TRAEFIK.contains(InetAddress.getByName("fd00:31::1"))).isFalse();
  }

  @Test
  void oddPrefixLengthsMaskPartialBytes() throws Exception {
    TrustedProxies block = TrustedProxies.of(List.of("192.168.4.0/22"));
    assertThat(block.contains(InetAddress.getByName("192.168.7.200"))).isTrue();
    assertThat(block.contains(InetAddress.getByName("192.168.8.1"))).isFalse();
    assertThat(block.contains(InetAddress.getByName("192.168.3.255"))).isFalse();
    assertThat(TrustedProxies.of(List.of("0.0.0.0/0")).contains(InetAddress.getByName("8.8.8.8")))
        .isTrue();
  }

  @Test
  void nothingIsTrustedByDefault() throws Exception {
    assertThat(TrustedProxies.of(List.of("", " ")).isEmpty()).isTrue();
    assertThat(TrustedProxies.none().contains(InetAddress.getByName("127.0.0.1"))).isFalse();
  }

  @Test
  void refusesMalformedEntriesAndHostNames() {
    assertThatThrownBy(() -> TrustedProxies.of(List.of("traefik")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/33")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0/8")))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> TrustedProxies.of(List.of("10.0.0.0/x")))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void forwardedForIsIgnoredFromAnUntrustedPeer() {
    var request =
        from("203.0.113.7")
            .header("X-Forwarded-For", "1.2.3.4")
            .header("X-Real-IP", "5.6.7.8")
            .header("Forwarded", "for=9.9.9.9")
            .header("X-Forwarded-Proto", "https")
            .build();
    assertThat(ClientAddress.of(request, TRAEFIK)).isEqualTo("203.0.113.7");
    assertThat(ClientAddress.isSecure(request, TRAEFIK)).isFalse();
    assertThat(ClientAddress.of(request, TrustedProxies.none())).isEqualTo("203.0.113.7");
  }

  @Test
  void fromTrustedProxyTheRightmostUntrustedHopIsTheClient() {
    // The client forged "6.6.6.6"; Traefik appended the address it really saw.
    var request =
        from("172.30.0.2")
            .header("X-Forwarded-For", "6.6.6.6, 198.51.100.20")
            .header("X-Forwarded-Proto", "https")
            .build();
    assertThat(ClientAddress.of(request, TRAEFIK)).isEqualTo("198.51.100.20");
    assertThat(ClientAddress.isSecure(request, TRAEFIK)).isTrue();
    // Our own proxies in the chain are skipped.
    var chained = from("172.30.0.2").header("X-Forwarded-For", "198.51.100.20, 10.9.9.9").build();
    assertThat(ClientAddress.of(chained, TRAEFIK)).isEqualTo("198.51.100.20");
  }

  @Test
  void fromTrustedProxyFallsBackToForwardedThenRealIp() {
    var forwarded =
        from("172.30.0.2").header("Forwarded", "for=\"[2001:db8::1]:4711\";proto=https").build();
    assertThat(ClientAddress.of(forwarded, TRAEFIK)).isEqualTo("2001:db8:0:0:0:0:0:1");
    var real = from("172.30.0.2").header("X-Real-IP", "198.51.100.9").build();
    assertThat(ClientAddress.of(real, TRAEFIK)).isEqualTo("198.51.100.9");
    var none = from("172.30.0.2").build();
    assertThat(ClientAddress.of(none, TRAEFIK)).isEqualTo("172.30.0.2");
  }

  @Test
  void aHostNameInForwardedForIsNeverResolvedOrBelieved() {
    var request = from("172.30.0.2").header("X-Forwarded-For", "localhost").build();
    assertThat(ClientAddress.of(request, TRAEFIK)).isEqualTo("172.30.0.2");
  }

  private static MockServerHttpRequest.BaseBuilder<?> from(String peer) {
    return MockServerHttpRequest.get("/api/projects")
        .remoteAddress(new InetSocketAddress(peer, 40000));
  }
}
