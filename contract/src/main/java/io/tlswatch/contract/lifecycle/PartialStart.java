package io.tlswatch.contract.lifecycle;

import java.util.function.Function;

/**
 * Starts a service whose start-up opens several resources one after another (a producer, a certificate manager,
 * event loops, listeners): if a later step fails, what the earlier steps opened is closed again, newest first,
 * so that a refused start leaves no thread or port behind. Failures to close are added to the start's failure.
 */
public final class PartialStart {

    private PartialStart() {
    }

    /**
     * Runs {@code start}, which adds each resource to the {@link Opened} it is given as soon as it has opened it.
     *
     * @return what {@code start} returned
     */
    public static <T> T closingOnFailure(Function<Opened, T> start) {
        Opened opened = new Opened();
        try {
            return start.apply(opened);
        } catch (RuntimeException | Error e) {
            opened.closeAfter(e);
            throw e;
        }
    }
}
