package dev.constellation.claude.chat;

import java.util.List;
import org.jspecify.annotations.Nullable;

/** Body of {@code POST /api/conversations/{cid}/messages}; limits are checked by the controller. */
record SendMessageRequest(String content, @Nullable Context context) {

  record Context(@Nullable List<String> files, @Nullable Selection selection) {}

  record Selection(String path, Integer startLine, Integer endLine) {}
}
