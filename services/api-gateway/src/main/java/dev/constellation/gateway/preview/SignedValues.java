package dev.constellation.gateway.preview;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import tools.jackson.databind.json.JsonMapper;

/**
 * Records signed with HMAC-SHA256 under a key derived from the gateway's JWT secret for one purpose
 * (a preview cookie cannot pass as a share token, nor either as a JWT): {@code base64url(json) "."
 * base64url(mac)}.
 */
final class SignedValues {
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private final byte[] key;
  private final JsonMapper json;

  SignedValues(String secret, String purpose, JsonMapper json) {
    this.key = hmac(secret.getBytes(StandardCharsets.UTF_8), purpose);
    this.json = json;
  }

  String sign(Object value) {
    String body = ENCODER.encodeToString(json.writeValueAsBytes(value));
    return body + "." + ENCODER.encodeToString(hmac(key, body));
  }

  /** The record when the signature is ours; empty for anything else (never an exception). */
  <T> Optional<T> verify(String signed, Class<T> type) {
    if (signed == null || signed.length() > 4096) return Optional.empty();
    int dot = signed.indexOf('.');
    if (dot <= 0 || dot != signed.lastIndexOf('.')) return Optional.empty();
    String body = signed.substring(0, dot);
    try {
      byte[] mac = DECODER.decode(signed.substring(dot + 1));
      if (!MessageDigest.isEqual(mac, hmac(key, body))) return Optional.empty();
      return Optional.of(json.readValue(DECODER.decode(body), type));
    } catch (RuntimeException e) {
      return Optional.empty();
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(new SecretKeySpec(key, "HmacSHA256"));
      return mac.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is unavailable", e);
    }
  }
}
