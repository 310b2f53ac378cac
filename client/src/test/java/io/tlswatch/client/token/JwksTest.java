package io.tlswatch.client.token;

import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.sun.net.httpserver.HttpServer;
import io.tlswatch.client.http.ClientTls;
import io.tlswatch.client.http.HttpTransport;
import io.tlswatch.contract.testing.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The SDK's JWKS cache against a server whose keys change, as in a rotation. */
class JwksTest {

    private final MutableClock clock = MutableClock.at("2026-12-07T12:00:00Z");
    private final AtomicReference<JWKSet> published = new AtomicReference<>();
    private final AtomicInteger fetches = new AtomicInteger();
    private HttpServer server;
    private Jwks jwks;

    @BeforeEach
    void serve() throws Exception {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/.well-known/jwks.json", exchange -> {
            fetches.incrementAndGet();
            JWKSet keys = published.get();
            byte[] body = (keys == null ? "{}" : keys.toString(true)).getBytes(StandardCharsets.UTF_8);
            exchange.sendResponseHeaders(keys == null ? 503 : 200, body.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        });
        server.start();
        HttpTransport http = new HttpTransport(ClientTls.create(null, List.of(), List.of()), Duration.ofSeconds(2),
                Duration.ofSeconds(2));
        jwks = new Jwks(http, URI.create("http://127.0.0.1:" + server.getAddress().getPort()
                + "/.well-known/jwks.json"), clock);
    }

    @AfterEach
    void stop() {
        server.stop(0);
    }

    @Test
    void aKidPublishedMomentsAfterTheLastFetchIsFetchedAtOnce() throws Exception {
        // given a cache fetched a moment ago, when the server had only the old key
        ECKey old = key("old");
        published.set(new JWKSet(old.toPublicJWK()));
        assertThat(jwks.find("old")).isPresent();

        // when the server starts signing with a new key well within the refetch interval
        ECKey rotated = key("new");
        published.set(new JWKSet(List.of(rotated.toPublicJWK(), old.toPublicJWK())));
        clock.advance(Duration.ofMillis(100));

        // then the first token naming it is verified: the set is fetched again, once
        assertThat(jwks.find("new")).isPresent();
        assertThat(fetches).hasValue(2);
        assertThat(jwks.find("old")).isPresent();
        assertThat(fetches).hasValue(2);
    }

    @Test
    void aKidTheServerDoesNotPublishIsRefetchedAtMostOncePerInterval() throws Exception {
        // given a server that publishes only one key
        published.set(new JWKSet(key("only").toPublicJWK()));
        assertThat(jwks.find("only")).isPresent();

        // when tokens keep naming a key it does not publish
        assertThat(jwks.find("ghost")).isEmpty();
        assertThat(jwks.find("ghost")).isEmpty();
        clock.advance(Jwks.MIN_REFETCH_INTERVAL.minusMillis(1));
        assertThat(jwks.find("other-ghost")).isEmpty();

        // then the set was fetched again once for them in the interval, and again only after it
        assertThat(fetches).hasValue(2);
        clock.advance(Duration.ofMillis(1));
        assertThat(jwks.find("ghost")).isEmpty();
        assertThat(fetches).hasValue(3);
    }

    @Test
    void aFetchThatFailedHoldsTheNextOneBackForTheInterval() throws Exception {
        // given a server that cannot answer
        assertThatThrownBy(() -> jwks.find("any")).isInstanceOf(IOException.class).hasMessageContaining("503");

        // when it answers again, within the interval, then after it
        published.set(new JWKSet(key("any").toPublicJWK()));
        Optional<?> within = jwks.find("any");
        clock.advance(Jwks.MIN_REFETCH_INTERVAL);
        Optional<?> after = jwks.find("any");

        // then the key is fetched only once the interval has passed
        assertThat(within).isEmpty();
        assertThat(after).isPresent();
        assertThat(fetches).hasValue(2);
    }

    private static ECKey key(String kid) throws Exception {
        return new ECKeyGenerator(Curve.P_256).keyID(kid).generate();
    }
}
