package org.okrtrl.job;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

/**
 * The messages one logger writes at INFO and above while this is open (the MiniCluster's tasks
 * run in the test's JVM, so their logging reaches it). The logger must be configured by name in
 * log4j2-test.properties at INFO or finer.
 */
final class CapturedLog implements AutoCloseable {
    private final List<String> messages = new CopyOnWriteArrayList<>();
    private final LoggerConfig logger;
    private final AbstractAppender appender;

    CapturedLog(String loggerName) {
        LoggerContext context = (LoggerContext) LogManager.getContext(false);
        logger = context.getConfiguration().getLoggerConfig(loggerName);
        if (!logger.getName().equals(loggerName)) {
            throw new IllegalStateException("no logger configured for " + loggerName);
        }
        appender = new AbstractAppender("captured-" + System.nanoTime(), null, null, true,
                Property.EMPTY_ARRAY) {
            @Override
            public void append(LogEvent event) {
                messages.add(event.getMessage().getFormattedMessage());
            }
        };
        appender.start();
        logger.addAppender(appender, Level.INFO, null);
    }

    /** What was logged so far. */
    List<String> messages() {
        return List.copyOf(messages);
    }

    @Override
    public void close() {
        logger.removeAppender(appender.getName());
        appender.stop();
    }
}
