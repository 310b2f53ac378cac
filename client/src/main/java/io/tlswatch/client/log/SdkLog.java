package io.tlswatch.client.log;

import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The SDK's logging: {@code java.util.logging}, the one logging API every runtime since Java 1.4 has, so that
 * the SDK imposes no logging library on the application (SLF4J's {@code jul-to-slf4j} or Log4j's JUL adapter
 * route it to the application's own). Patterns are {@link java.text.MessageFormat}'s ({@code {0}}), formatted
 * only when the level is enabled.
 */
public final class SdkLog {

    private final Logger logger;

    private SdkLog(Logger logger) {
        this.logger = logger;
    }

    public static SdkLog of(Class<?> type) {
        return new SdkLog(Logger.getLogger(type.getName()));
    }

    public void debug(String pattern, Object... arguments) {
        logger.log(Level.FINE, pattern, arguments);
    }

    public void info(String pattern, Object... arguments) {
        logger.log(Level.INFO, pattern, arguments);
    }

    public void warning(String pattern, Object... arguments) {
        logger.log(Level.WARNING, pattern, arguments);
    }

    /** An unexpected failure: the only kind logged with its stack trace. */
    public void error(String message, Throwable failure) {
        logger.log(Level.SEVERE, message, failure);
    }
}
