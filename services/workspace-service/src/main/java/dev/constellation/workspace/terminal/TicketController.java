package dev.constellation.workspace.terminal;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.common.terminal.TerminalTickets;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.concurrency.ConcurrencyLimits;
import dev.constellation.workspace.lifecycle.LocalRuntimePolicy;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class TicketController {
  private final ProjectGuard guard;
  private final LocalRuntimePolicy localPolicy;
  private final TerminalTickets tickets;
  private final ConcurrencyLimits concurrency;

  TicketController(
      ProjectGuard guard,
      LocalRuntimePolicy localPolicy,
      TerminalTickets tickets,
      ConcurrencyLimits concurrency) {
    this.concurrency = concurrency;
    this.guard = guard;
    this.localPolicy = localPolicy;
    this.tickets = tickets;
  }

  /**
   * The caller is about to open a terminal. The workspace is not started here: a socket on a
   * stopped workspace is closed with 4409 and the IDE offers Start (Stop must stay stopped).
   */
  @PostMapping("/api/projects/{projectId}/terminal/ticket")
  TerminalTickets.Issued ticket(
      @PathVariable String projectId, @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    localPolicy.check(user);
    // Refused here already, as a 429 problem the UI can show; the socket takes the place for real.
    concurrency.check(ConcurrencyLimits.Kind.TERMINAL, user.id(), projectId);
    return tickets.issue(user, projectId);
  }
}
