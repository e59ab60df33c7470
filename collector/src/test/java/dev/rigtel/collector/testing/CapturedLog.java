package dev.rigtel.collector.testing;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/**
 * What one class's logger writes while a test runs, through Logback itself: open it before (a field
 * set in {@code @BeforeEach}, or try-with-resources) and close it after, which detaches it.
 */
public final class CapturedLog implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private CapturedLog(Class<?> source) {
        this.logger = (Logger) LoggerFactory.getLogger(source);
        appender.start();
        logger.addAppender(appender);
    }

    /** Starts capturing what the logger named after {@code source} writes. */
    public static CapturedLog of(Class<?> source) {
        return new CapturedLog(source);
    }

    /** The events so far, oldest first; safe while other threads still log. */
    public List<ILoggingEvent> events() {
        // Logback appends under the appender's own lock (AppenderBase.doAppend).
        synchronized (appender) {
            return List.copyOf(appender.list);
        }
    }

    /** The events at {@code level}, oldest first. */
    public List<ILoggingEvent> at(Level level) {
        return events().stream().filter(e -> e.getLevel() == level).toList();
    }

    /** Every line so far as it would print, arguments filled in. */
    public List<String> lines() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(appender);
    }
}
