package dev.constellation.gateway.preview;

import static org.assertj.core.api.Assertions.assertThat;

import dev.constellation.common.preview.PreviewHosts;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

class PreviewRulesTest {
  private static final String ID = "6b0f602defcbcdfb0f774b46";
  private static final String ORIGIN = "http://p3000-" + ID + ".preview.localhost:8000";
  private static final PreviewServices.Target TARGET =
      new PreviewServices.Target("172.18.0.5", 3000);

  @Test
  void previewHostsNameExactlyOneProjectAndPort() {
    assertThat(PreviewHosts.parse("p3000-" + ID + ".preview.localhost:8000", "preview.localhost"))
        .contains(new PreviewHosts.Target(ID, 3000));
    assertThat(
            PreviewHosts.parse(
                "P3000-" + ID.toUpperCase() + ".Preview.Localhost", "preview.localhost"))
        .contains(new PreviewHosts.Target(ID, 3000));
    for (String host :
        new String[] {
          "preview.localhost",
          "x.p3000-" + ID + ".preview.localhost",
          "p0-" + ID + ".preview.localhost",
          "p70000-" + ID + ".preview.localhost",
          "p3000-" + ID + ".preview.localhost.evil.test",
          "p3000-" + ID + "preview.localhost",
          "localhost:8000",
          "p03000-" + ID + ".preview.localhost"
        }) {
      assertThat(PreviewHosts.parse(host, "preview.localhost")).as(host).isEmpty();
    }
    assertThat(PreviewHosts.underDomain("evil.preview.localhost:8000", "preview.localhost"))
        .isTrue();
    assertThat(PreviewHosts.underDomain("127.0.0.1:8000", "preview.localhost")).isFalse();
  }

  @Test
  void locationsAtTheAppsOwnAddressMoveToThePreviewOriginOthersStay() {
    assertThat(PreviewProxy.rewriteLocation("http://localhost:3000/a?b=1", TARGET, ORIGIN))
        .isEqualTo(ORIGIN + "/a?b=1");
    assertThat(PreviewProxy.rewriteLocation("http://127.0.0.1:3000", TARGET, ORIGIN))
        .isEqualTo(ORIGIN);
    assertThat(PreviewProxy.rewriteLocation("http://172.18.0.5:3000/x", TARGET, ORIGIN))
        .isEqualTo(ORIGIN + "/x");
    for (String kept :
        new String[] {
          "http://169.254.169.254/latest/meta-data/",
          "http://localhost:30001/",
          "http://localhost:3000.evil.test/",
          "/relative",
          "https://example.com/"
        }) {
      assertThat(PreviewProxy.rewriteLocation(kept, TARGET, ORIGIN)).isEqualTo(kept);
    }
  }

  /**
   * Swarm mode: workspace-service relays the port; the app keeps its own port in Host and Location.
   */
  @Test
  void aRelayedPortIsDialledAtTheRelayButTheAppKeepsItsOwnPort() throws Exception {
    var relayed =
        JsonMapper.builder()
            .build()
            .readValue(
                "{\"host\":\"workspace-service\",\"port\":3000,\"connectPort\":40123}",
                PreviewServices.Target.class);
    assertThat(relayed.upstream()).hasToString("http://workspace-service:40123");
    assertThat(PreviewProxy.rewriteLocation("http://localhost:3000/a", relayed, ORIGIN))
        .isEqualTo(ORIGIN + "/a");
    assertThat(PreviewProxy.rewriteLocation("http://localhost:40123/a", relayed, ORIGIN))
        .isEqualTo("http://localhost:40123/a");
    var direct =
        JsonMapper.builder()
            .build()
            .readValue("{\"host\":\"172.18.0.5\",\"port\":3000}", PreviewServices.Target.class);
    assertThat(direct.upstream()).hasToString("http://172.18.0.5:3000");
  }

  @Test
  void afterTheTicketOnlyRelativePathsAreFollowed() {
    assertThat(PreviewController.safePath("/")).isEqualTo("/");
    assertThat(PreviewController.safePath("/app?x=1#y")).isEqualTo("/app?x=1#y");
    for (String bad :
        new String[] {
          "//evil.test/",
          "/\\evil.test",
          "http://evil.test/",
          "evil",
          "",
          "/a\r\nSet-Cookie: x",
          "/a b"
        }) {
      assertThat(PreviewController.safePath(bad)).as(bad).isNull();
    }
  }

  @Test
  void signedValuesRefuseTamperingAndOtherPurposes() {
    JsonMapper json = JsonMapper.builder().build();
    SignedValues cookies =
        new SignedValues("a-secret-that-is-long-enough-for-hmac-sha256", "cookie", json);
    SignedValues shares =
        new SignedValues("a-secret-that-is-long-enough-for-hmac-sha256", "share", json);
    var grant =
        new PreviewGrant(ID, 3000, "u1", 7, "s1", null, "http://localhost:8000", 2_000_000_000L);
    String signed = cookies.sign(grant);
    assertThat(cookies.verify(signed, PreviewGrant.class)).contains(grant);
    assertThat(shares.verify(signed, PreviewGrant.class)).isEmpty();
    String other = cookies.sign(new PreviewGrant(ID, 3001, "u1", 7, "s1", null, "x", 1L));
    String spliced = other.substring(0, other.indexOf('.')) + signed.substring(signed.indexOf('.'));
    assertThat(cookies.verify(spliced, PreviewGrant.class)).isEmpty();
    assertThat(cookies.verify("garbage", PreviewGrant.class)).isEmpty();
    assertThat(cookies.verify("a.b.c", PreviewGrant.class)).isEmpty();
  }
}
