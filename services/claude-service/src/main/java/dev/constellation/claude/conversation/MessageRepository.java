package dev.constellation.claude.conversation;

import java.util.List;
import org.springframework.data.mongodb.repository.MongoRepository;

interface MessageRepository extends MongoRepository<ChatMessage, String> {
  List<ChatMessage> findByConversationIdOrderBySeqAsc(String conversationId);

  long countByConversationId(String conversationId);

  long deleteByConversationId(String conversationId);

  long deleteByProjectId(String projectId);
}
