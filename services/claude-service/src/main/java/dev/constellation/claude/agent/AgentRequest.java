package dev.constellation.claude.agent;

import dev.constellation.claude.conversation.Conversation;
import dev.constellation.common.auth.AuthenticatedUser;

/**
 * What the chat controller has checked and read before an agent turn starts.
 *
 * @param attachments the attached files and selection as prompt text ("" for none)
 */
public record AgentRequest(
    Conversation conversation,
    AuthenticatedUser user,
    String content,
    String attachments,
    String authorization) {}
