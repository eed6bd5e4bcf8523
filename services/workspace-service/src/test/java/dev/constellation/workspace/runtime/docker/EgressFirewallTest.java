package dev.constellation.workspace.runtime.docker;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The firewall's rules and its refusal to report success it did not read back, without iptables.
 */
class EgressFirewallTest {

  /** An iptables that keeps chains in memory, as the real one would print them with -S. */
  static final class FakeIptables implements EgressFirewall.Iptables {
    final Map<String, List<String>> chains = new LinkedHashMap<>();
    final List<List<String>> calls = new ArrayList<>();
    boolean dockerUser = true;

    /** A rule iptables silently rewrites (or loses): verification must notice. */
    String drop;

    FakeIptables() {
      chains.put("INPUT", new ArrayList<>());
    }

    @Override
    public Result run(List<String> args) {
      calls.add(args);
      if (dockerUser) chains.putIfAbsent("DOCKER-USER", new ArrayList<>());
      String op = args.get(0);
      if (args.equals(List.of("-S"))) {
        // the whole table, chain by chain
        StringBuilder all = new StringBuilder();
        for (var c : chains.entrySet()) {
          all.append("-N ").append(c.getKey()).append('\n');
          for (String rule : c.getValue()) all.append(rule).append('\n');
        }
        return new Result(0, all.toString());
      }
      String chain = args.get(1);
      String rest = String.join(" ", args.subList(2, args.size()));
      switch (op) {
        case "-N" -> {
          return chains.putIfAbsent(chain, new ArrayList<>()) == null
              ? new Result(0, "")
              : new Result(1, "Chain already exists.");
        }
        case "-F" -> {
          if (!chains.containsKey(chain)) return new Result(1, "No chain");
          chains.get(chain).clear();
          return new Result(0, "");
        }
        case "-A" -> {
          String rule = "-A " + chain + " " + rest;
          if (!rule.equals(drop)) chains.get(chain).add(rule);
          return new Result(0, "");
        }
        case "-I" -> {
          String rule = "-A " + chain + " " + String.join(" ", args.subList(3, args.size()));
          chains.get(chain).add(0, rule);
          return new Result(0, "");
        }
        case "-C" -> {
          return chains.getOrDefault(chain, List.of()).contains("-A " + chain + " " + rest)
              ? new Result(0, "")
              : new Result(1, "Bad rule");
        }
        case "-S" -> {
          if (!chains.containsKey(chain))
            return new Result(1, "No chain/target/match by that name.");
          return new Result(0, "-N " + chain + "\n" + String.join("\n", chains.get(chain)) + "\n");
        }
        default -> throw new IllegalArgumentException(op);
      }
    }
  }

  @Test
  void blocksPrivateRangesMetadataAndTheHostButAllowsConfiguredCidrsAndTheResolvers() {
    var fake = new FakeIptables();
    var outcome =
        new EgressFirewall(fake)
            .install("cwabc123def456", List.of("10.20.0.1/16"), List.of("10.255.255.53"));
    assertThat(outcome.enforced()).as(outcome.detail()).isTrue();
    List<String> forward = fake.chains.get("CW-FWD-abc123def456");
    assertThat(forward)
        .startsWith(
            "-A CW-FWD-abc123def456 -d 10.255.255.53/32 -p udp -m udp --dport 53 -j RETURN",
            "-A CW-FWD-abc123def456 -d 10.255.255.53/32 -p tcp -m tcp --dport 53 -j RETURN",
            "-A CW-FWD-abc123def456 -d 10.20.0.0/16 -j RETURN")
        .contains(
            "-A CW-FWD-abc123def456 -d 169.254.0.0/16 -j REJECT --reject-with icmp-port-unreachable",
            "-A CW-FWD-abc123def456 -d 10.0.0.0/8 -j REJECT --reject-with icmp-port-unreachable",
            "-A CW-FWD-abc123def456 -d 172.16.0.0/12 -j REJECT --reject-with icmp-port-unreachable",
            "-A CW-FWD-abc123def456 -d 192.168.0.0/16 -j REJECT --reject-with icmp-port-unreachable",
            "-A CW-FWD-abc123def456 -d 100.64.0.0/10 -j REJECT --reject-with icmp-port-unreachable");
    assertThat(String.join("\n", forward)).doesNotContain("198.18.");
    assertThat(fake.chains.get("DOCKER-USER"))
        .containsExactly("-A DOCKER-USER -i cwabc123def456 -j CW-FWD-abc123def456");
    assertThat(fake.chains.get("INPUT"))
        .containsExactly("-A INPUT -i cwabc123def456 -j CW-IN-abc123def456");
    assertThat(fake.chains.get("CW-IN-abc123def456"))
        .containsExactly(
            "-A CW-IN-abc123def456 -m conntrack --ctstate RELATED,ESTABLISHED -j RETURN",
            "-A CW-IN-abc123def456 -j REJECT --reject-with icmp-port-unreachable");
  }

  @Test
  void installingTwiceLeavesOneSetOfRules() {
    var fake = new FakeIptables();
    var firewall = new EgressFirewall(fake);
    firewall.install("cwabc123def456", List.of(), List.of());
    int rules = fake.chains.get("CW-FWD-abc123def456").size();
    assertThat(firewall.install("cwabc123def456", List.of(), List.of()).enforced()).isTrue();
    assertThat(fake.chains.get("CW-FWD-abc123def456")).hasSize(rules);
    assertThat(fake.chains.get("DOCKER-USER")).hasSize(1);
    assertThat(fake.chains.get("INPUT")).hasSize(1);
  }

  @Test
  void aRuleThatDoesNotReadBackOrNoDockerUserChainIsNotEnforced() {
    var lossy = new FakeIptables();
    lossy.drop =
        "-A CW-FWD-abc123def456 -d 169.254.0.0/16 -j REJECT --reject-with icmp-port-unreachable";
    assertThat(new EgressFirewall(lossy).install("cwabc123def456", List.of(), List.of()).enforced())
        .isFalse();

    var noDocker = new FakeIptables();
    noDocker.dockerUser = false;
    var outcome = new EgressFirewall(noDocker).install("cwabc123def456", List.of(), List.of());
    assertThat(outcome.enforced()).isFalse();
    assertThat(outcome.detail()).contains("DOCKER-USER");

    var missing =
        new EgressFirewall(args -> new EgressFirewall.Iptables.Result(-1, "not runnable"));
    assertThat(missing.install("cwabc123def456", List.of(), List.of()).enforced()).isFalse();
  }

  @Test
  void theCheckBeforeAStartNoticesFlushedRulesAndMissingJumpsInOneListing() {
    var fake = new FakeIptables();
    var firewall = new EgressFirewall(fake);
    firewall.install("cwabc123def456", List.of(), List.of("10.255.255.53"));
    fake.chains.get("DOCKER-USER").add("-A DOCKER-USER -j RETURN"); // Docker's own
    fake.calls.clear();

    assertThat(firewall.verify("cwabc123def456", List.of(), List.of("10.255.255.53")).enforced())
        .isTrue();
    assertThat(fake.calls).containsExactly(List.of("-S"));

    // a firewall reload that dropped the jump to our chain
    fake.chains.get("DOCKER-USER").remove(0);
    var noJump = firewall.verify("cwabc123def456", List.of(), List.of("10.255.255.53"));
    assertThat(noJump.enforced()).isFalse();
    assertThat(noJump.detail()).contains("DOCKER-USER");

    // the rules flushed, the jumps still there
    firewall.install("cwabc123def456", List.of(), List.of("10.255.255.53"));
    fake.chains.get("CW-FWD-abc123def456").clear();
    assertThat(firewall.verify("cwabc123def456", List.of(), List.of("10.255.255.53")).enforced())
        .isFalse();

    // another resolver than the rules were made for
    firewall.install("cwabc123def456", List.of(), List.of("10.255.255.53"));
    assertThat(firewall.verify("cwabc123def456", List.of(), List.of("10.9.9.9")).enforced())
        .isFalse();
  }

  @Test
  void refusesAnAllowEntryThatIsNotACidr() {
    var fake = new FakeIptables();
    var outcome =
        new EgressFirewall(fake)
            .install("cwabc123def456", List.of("10.0.0.0/8 -j ACCEPT"), List.of());
    assertThat(outcome.enforced()).isFalse();
    assertThat(fake.calls).isEmpty();
    assertThat(EgressFirewall.isCidr("300.1.1.1")).isFalse();
    assertThat(EgressFirewall.normalize("10.1.2.3/24")).isEqualTo("10.1.2.0/24");
    assertThat(EgressFirewall.normalize("10.1.2.3")).isEqualTo("10.1.2.3/32");
  }

  @Test
  void theBridgeNameFitsAnInterfaceNameAndIsStable() {
    String bridge = EgressFirewall.bridgeName("constellation-workspaces");
    assertThat(bridge).hasSizeLessThanOrEqualTo(15).startsWith("cw");
    assertThat(EgressFirewall.bridgeName("constellation-workspaces")).isEqualTo(bridge);
    assertThat(EgressFirewall.bridgeName("other")).isNotEqualTo(bridge);
  }
}
