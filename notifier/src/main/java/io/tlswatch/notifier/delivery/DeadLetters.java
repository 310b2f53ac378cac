package io.tlswatch.notifier.delivery;

import io.tlswatch.contract.event.AlertDeadLetter;

import java.util.concurrent.CompletableFuture;

/** Where alerts go that a target did not take; the future completes once the letter is stored for good. */
public interface DeadLetters {

    CompletableFuture<Void> publish(AlertDeadLetter letter);
}
