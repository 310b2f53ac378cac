package io.tlswatch.validator;

import io.tlswatch.tlsserver.host.TlsServiceHost;
import io.tlswatch.validator.token.KeyReloadMeters;
import io.tlswatch.validator.token.SigningKeyFileWatcher;
import io.tlswatch.validator.token.SigningKeys;
import io.tlswatch.validator.token.TokenSettings;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;

/** The validator's signing keys: loaded from {@code token.keyFile} and watched, or generated and rotated. */
final class TokenSigning {

    private static final Logger log = LoggerFactory.getLogger(TokenSigning.class);

    private TokenSigning() {
    }

    /** The keys, with the key file watched as often as the certificate files (read once where those are not). */
    static SigningKeys keys(ValidatorConfig config, Clock clock, TlsServiceHost host) {
        SigningKeys keys = load(config, clock);
        KeyReloadMeters reloads = new KeyReloadMeters(host.meters());
        if (config.tokenKeyFile() != null && !config.server().certificates().watchInterval().isZero()) {
            SigningKeyFileWatcher watcher = new SigningKeyFileWatcher(config.tokenKeyFile(), keys, reloads,
                    config.server().certificates().watchInterval());
            host.closes("token key file watcher", limit -> watcher.close());
            watcher.start();
        }
        return keys;
    }

    /**
     * Generated keys rotate on a schedule; a key file is shared by replicas, so there the operator rotates by
     * changing the file, which is watched (a key generated here would be unknown to the other replicas).
     */
    static void rotateOnSchedule(ValidatorConfig config, TlsServiceHost host, SigningKeys keys) {
        if (config.tokenKeyFile() == null && !config.tokenRotateEvery().isZero()) {
            host.every(config.tokenRotateEvery(), keys::rotate);
        }
    }

    private static SigningKeys load(ValidatorConfig config, Clock clock) {
        TokenSettings tokenSettings = config.tokenSettings();
        if (config.tokenKeyFile() != null) {
            return SigningKeys.load(config.tokenKeyFile(), config.tokenAlgorithm(), tokenSettings.keyRetention(), clock);
        }
        SigningKeys keys = SigningKeys.generate(config.tokenAlgorithm(), tokenSettings.keyRetention(), clock);
        log.warn("No token.keyFile configured: signing with a key generated at start-up ({}); tokens will not "
                + "verify against another replica or after a restart", keys.current().kid());
        return keys;
    }
}
