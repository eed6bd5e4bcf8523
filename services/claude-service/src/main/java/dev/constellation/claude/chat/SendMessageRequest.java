package dev.constellation.claude.chat;

import java.util.List;

/** Body of {@code POST /api/conversations/{cid}/messages}; limits are checked by the controller. */
record SendMessageRequest(String content, Context context) {

  record Context(List<String> files, Selection selection) {}

  record Selection(String path, Integer startLine, Integer endLine) {}
}
