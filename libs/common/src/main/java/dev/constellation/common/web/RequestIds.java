package dev.constellation.common.web;

import java.util.UUID;
import java.util.regex.Pattern;

/** How a request id travels: the header between processes, the MDC key inside one. */
public final class RequestIds {
  public static final String HEADER = "X-Request-Id";
  public static final String MDC_KEY = "requestId";
  public static final String USER_MDC_KEY = "userId";
  public static final String ROUTE_MDC_KEY = "route";

  // A client may choose its id, but not one that could smuggle text into logs or headers.
  private static final Pattern ACCEPTABLE = Pattern.compile("[A-Za-z0-9._-]{1,64}");

  private RequestIds() {}

  public static String acceptOrCreate(String fromClient) {
    if (fromClient != null && ACCEPTABLE.matcher(fromClient).matches()) {
      return fromClient;
    }
    return UUID.randomUUID().toString();
  }
}
