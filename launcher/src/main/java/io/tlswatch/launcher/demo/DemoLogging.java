package io.tlswatch.launcher.demo;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.FileAppender;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.logging.Level;

/**
 * Sends the logs of everything the demo runs to a file in its directory, so that they do not scroll the view
 * away; the SDK's own lines (one per failed check of every simulated client) go there too.
 */
final class DemoLogging {

    /** Held so that the level set on it stays: JUL keeps loggers only weakly. */
    private static final java.util.logging.Logger SDK = java.util.logging.Logger.getLogger("io.tlswatch.client");

    private DemoLogging() {
    }

    static void toFile(Path file) {
        SDK.setLevel(Level.WARNING);
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext context)) {
            return;
        }
        ch.qos.logback.classic.Logger root = context.getLogger(Logger.ROOT_LOGGER_NAME);
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern("%d{HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n");
        encoder.start();
        FileAppender<ILoggingEvent> appender = new FileAppender<>();
        appender.setContext(context);
        appender.setName("DEMO_FILE");
        appender.setFile(file.toString());
        appender.setEncoder(encoder);
        appender.start();
        List<Appender<ILoggingEvent>> console = new ArrayList<>();
        for (Iterator<Appender<ILoggingEvent>> it = root.iteratorForAppenders(); it.hasNext(); ) {
            console.add(it.next());
        }
        root.addAppender(appender);
        console.forEach(a -> root.detachAppender(a));
    }
}
