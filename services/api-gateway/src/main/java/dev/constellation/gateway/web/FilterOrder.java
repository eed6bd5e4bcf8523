package dev.constellation.gateway.web;

import org.springframework.core.Ordered;

/** The order every request passes the gateway's filters in, kept in one place so it can be read. */
public final class FilterOrder {
  public static final int REQUEST_ID = Ordered.HIGHEST_PRECEDENCE;

  /** Right inside the request id, so that its line covers everything after. */
  public static final int ACCESS_LOG = REQUEST_ID + 1;

  public static final int INCOMING_HEADERS = REQUEST_ID + 1;

  /**
   * Requests for a preview host (p&lt;port&gt;-&lt;project&gt;.&lt;preview domain&gt;) end here:
   * they get the preview's own authentication and proxy and never reach the IDE's filters, routes
   * or headers below, which assume the IDE's origin.
   */
  public static final int PREVIEW = REQUEST_ID + 2;

  public static final int SECURITY_HEADERS = REQUEST_ID + 3;
  public static final int PATH_GUARD = REQUEST_ID + 4;
  public static final int BODY_SIZE = REQUEST_ID + 5;
  public static final int CORS = REQUEST_ID + 6;

  /** Before authentication, so that guessing tokens or passwords is limited too. */
  public static final int CLIENT_RATE_LIMIT = REQUEST_ID + 10;

  public static final int AUTHENTICATION = REQUEST_ID + 20;
  public static final int USER_RATE_LIMIT = REQUEST_ID + 30;

  private FilterOrder() {}
}
