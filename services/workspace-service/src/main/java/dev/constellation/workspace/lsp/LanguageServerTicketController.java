package dev.constellation.workspace.lsp;

import dev.constellation.common.access.ProjectAction;
import dev.constellation.common.auth.AuthenticatedUser;
import dev.constellation.common.problem.ApiException;
import dev.constellation.common.servlet.CurrentUser;
import dev.constellation.common.terminal.TerminalTickets;
import dev.constellation.workspace.access.ProjectGuard;
import dev.constellation.workspace.concurrency.ConcurrencyLimits;
import dev.constellation.workspace.lifecycle.LocalRuntimePolicy;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
class LanguageServerTicketController {
  private final ProjectGuard guard;
  private final LocalRuntimePolicy localPolicy;
  private final TerminalTickets tickets;
  private final ConcurrencyLimits concurrency;

  LanguageServerTicketController(
      ProjectGuard guard,
      LocalRuntimePolicy localPolicy,
      TerminalTickets tickets,
      ConcurrencyLimits concurrency) {
    this.guard = guard;
    this.localPolicy = localPolicy;
    this.tickets = tickets;
    this.concurrency = concurrency;
  }

  /**
   * The caller is about to open the language server of {@code language}. WRITE, like a terminal: a
   * server runs the project's own code (tsconfig plugins, pylsp plugins). The workspace is not
   * started here: on a stopped one the socket closes with 4409.
   */
  @PostMapping("/api/projects/{projectId}/lsp/{language}/ticket")
  TerminalTickets.Issued ticket(
      @PathVariable String projectId,
      @PathVariable String language,
      @CurrentUser AuthenticatedUser user) {
    guard.require(user, projectId, ProjectAction.WRITE);
    if (Languages.command(language).isEmpty()) {
      throw ApiException.notFound(
          "There is no language server for \"" + abbreviate(language) + "\".");
    }
    localPolicy.check(user);
    concurrency.check(ConcurrencyLimits.Kind.LANGUAGE_SERVER, user.id(), projectId);
    return tickets.issue(user, projectId, TerminalTickets.lsp(language));
  }

  private static String abbreviate(String text) {
    String printable = text.replaceAll("[^A-Za-z0-9_+.-]", "?");
    return printable.length() > 40 ? printable.substring(0, 40) + "…" : printable;
  }
}
