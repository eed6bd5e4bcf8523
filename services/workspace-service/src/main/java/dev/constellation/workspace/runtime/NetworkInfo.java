package dev.constellation.workspace.runtime;

import org.jspecify.annotations.Nullable;

/**
 * What the workspaces' network allows, as the API shows it next to the runtime.
 *
 * @param egress whether workspaces reach the internet right now
 * @param firewall what keeps them from the host and private ranges: "iptables" (installed and
 *     verified by this service), "external" (deploy/scripts/workspace-firewall.sh, by the
 *     installation's word) or "none" (the network is internal, so no firewall is needed)
 * @param warning why egress is off although the installation asked for it, if it did
 */
public record NetworkInfo(boolean egress, String firewall, @Nullable String warning) {}
