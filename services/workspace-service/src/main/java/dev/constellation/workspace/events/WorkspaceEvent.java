package dev.constellation.workspace.events;

/**
 * Something a project's open IDEs should hear about at once: published with Spring's {@code
 * ApplicationEventPublisher}, relayed to {@code GET /api/projects/{id}/workspace/events} as an SSE
 * event named {@code type} whose data is {@code data} as JSON.
 *
 * @param type {@code status}, {@code idle-warning}, {@code ports}, {@code terminals} or {@code
 *     files}
 */
public record WorkspaceEvent(String projectId, String type, Object data) {}
