package dev.constellation.gateway.web;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * The proxies we run in front of the gateway (Traefik), as CIDR blocks. Only a request whose direct
 * peer is in one of them may tell us, through forwarding headers, who the client is. Parsed once at
 * start-up; a malformed entry stops the gateway rather than trusting too much.
 */
public final class TrustedProxies {
  private static final TrustedProxies NONE = new TrustedProxies(List.of());

  private final List<Block> blocks;

  private TrustedProxies(List<Block> blocks) {
    this.blocks = blocks;
  }

  public static TrustedProxies none() {
    return NONE;
  }

  /** Entries like {@code 172.30.0.0/24}, {@code 10.0.0.7} (one host) or {@code fd00::/8}. */
  public static TrustedProxies of(List<String> cidrs) {
    return new TrustedProxies(
        cidrs.stream().map(String::trim).filter(s -> !s.isEmpty()).map(Block::parse).toList());
  }

  public boolean isEmpty() {
    return blocks.isEmpty();
  }

  public boolean contains(InetAddress address) {
    if (address == null) return false;
    byte[] bytes = address.getAddress();
    for (Block block : blocks) {
      if (block.contains(bytes)) return true;
    }
    return false;
  }

  /**
   * Whether a literal address (as found in X-Forwarded-For) is one of ours; names are never looked
   * up.
   */
  boolean containsLiteral(String literal) {
    InetAddress address = Addresses.parseLiteral(literal);
    return address != null && contains(address);
  }

  private record Block(byte[] network, int prefix) {
    static Block parse(String cidr) {
      int slash = cidr.indexOf('/');
      String host = slash < 0 ? cidr : cidr.substring(0, slash);
      InetAddress address = Addresses.parseLiteral(host);
      if (address == null)
        throw new IllegalArgumentException("'" + cidr + "' is not an IP address or CIDR block");
      byte[] bytes = address.getAddress();
      int max = bytes.length * 8;
      int prefix;
      try {
        prefix = slash < 0 ? max : Integer.parseInt(cidr.substring(slash + 1));
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException("'" + cidr + "' has no valid prefix length");
      }
      if (prefix < 0 || prefix > max)
        throw new IllegalArgumentException("'" + cidr + "' has a prefix outside 0.." + max);
      return new Block(bytes, prefix);
    }

    boolean contains(byte[] candidate) {
      if (candidate.length != network.length) return false;
      int full = prefix / 8;
      for (int i = 0; i < full; i++) {
        if (candidate[i] != network[i]) return false;
      }
      int rest = prefix % 8;
      if (rest == 0) return true;
      int mask = (0xff << (8 - rest)) & 0xff;
      return (candidate[full] & mask) == (network[full] & mask);
    }
  }

  /**
   * IP literals only: InetAddress.getByName would resolve a host name, which a header must never
   * cause.
   */
  static final class Addresses {
    private Addresses() {}

    static InetAddress parseLiteral(String text) {
      if (text == null) return null;
      String s = text.trim();
      if (s.startsWith("[") && s.endsWith("]")) s = s.substring(1, s.length() - 1);
      if (s.isEmpty()) return null;
      boolean ipv4 = s.chars().allMatch(c -> Character.isDigit(c) || c == '.');
      boolean ipv6 =
          s.indexOf(':') >= 0
              && s.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.');
      if (ipv4) {
        String[] parts = s.split("\\.", -1);
        if (parts.length != 4) return null;
        for (String part : parts) {
          if (part.isEmpty() || part.length() > 3 || Integer.parseInt(part) > 255) return null;
        }
      } else if (!ipv6) {
        return null;
      }
      try {
        // Safe: a literal address is parsed, never resolved.
        return InetAddress.getByName(s);
      } catch (UnknownHostException e) {
        return null;
      }
    }
  }
}
