package dev.constellation.common.servlet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.asyncDispatch;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.request;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

class ProblemExceptionHandlerTest {
  private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
  private final Logger root = (Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME);

  @RestController
  static class Events {
    @GetMapping(value = "/events", produces = "text/event-stream")
    SseEmitter events() {
      var emitter = new SseEmitter();
      // What the container reports when the browser has gone between two events.
      emitter.completeWithError(new AsyncRequestNotUsableException("Response not usable"));
      return emitter;
    }
  }

  @BeforeEach
  void listen() {
    logged.start();
    root.addAppender(logged);
  }

  @AfterEach
  void stopListening() {
    root.detachAppender(logged);
  }

  @Test
  void aClientThatLeavesAnEventStreamIsNeitherAnErrorNorAWarning() throws Exception {
    MockMvc mvc =
        MockMvcBuilders.standaloneSetup(new Events())
            .setControllerAdvice(new ProblemExceptionHandler())
            .build();

    MvcResult started = mvc.perform(get("/events")).andExpect(request().asyncStarted()).andReturn();
    mvc.perform(asyncDispatch(started));

    assertThat(logged.list)
        .filteredOn(e -> e.getLevel().isGreaterOrEqual(Level.WARN))
        .extracting(ILoggingEvent::getFormattedMessage)
        .isEmpty();
  }
}
