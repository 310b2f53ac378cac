package io.tlswatch.streams.query;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpResponseStatus;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class QueryRouterTest {

    private final StubQueries queries = new StubQueries();
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final QueryRouter router = new QueryRouter(queries, 500, registry);

    private QueryResponse get(String uri) {
        return router.route(HttpMethod.GET, uri).join();
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> error(QueryResponse response) {
        return (Map<String, Object>) ((Map<String, Object>) response.body()).get("error");
    }

    @Test
    void routesEachEndpointWithItsParameters() {
        get("/v1/clients?posture=stuck&limit=20");
        get("/v1/clients/client%20a");
        get("/v1/fingerprints?outdated=true");
        get("/v1/what-if?minVersion=TLSv1.3&local=true");

        assertThat(queries.calls).containsExactly("clients STUCK 20 false", "client client a false",
                "fingerprints true 100 false", "what-if TLSv1.3 100 true");
    }

    @Test
    void includePendingAsksForTheClientsJudgedSoPendingTheHoldToo() {
        get("/v1/clients?posture=stuck&includePending=true");
        get("/v1/clients?posture=at_risk&includePending=false");

        assertThat(queries.calls).containsExactly("clients STUCK+pending 100 false", "clients AT_RISK 100 false");
    }

    @Test
    void includePendingMustBeABoolean() {
        QueryResponse response = get("/v1/clients?posture=stuck&includePending=yes");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(response)).containsEntry("field", "includePending");
        assertThat(queries.calls).isEmpty();
    }

    @Test
    void anUnknownPostureIsRefusedNamingTheParameterAndCounted() {
        QueryResponse response = get("/v1/clients?posture=fine");

        assertThat(response.status()).isEqualTo(HttpResponseStatus.BAD_REQUEST);
        assertThat(error(response)).containsEntry("field", "posture");
        assertThat(queries.calls).isEmpty();
        assertThat(registry.get("tlswatch.streams.query.requests").tags("endpoint", "clients", "outcome",
                "bad_request").counter().count()).isEqualTo(1);
    }

    @Test
    void everyEndpointAndOutcomeIsCountedAtZeroBeforeTheFirstRequest() {
        // given a router that has answered nothing (built above)

        // then each endpoint has a series for each outcome, at 0
        assertThat(registry.find("tlswatch.streams.query.requests").counters()).hasSize(5 * 5)
                .allSatisfy(c -> assertThat(c.count()).isZero());
        assertThat(registry.get("tlswatch.streams.query.requests").tags("endpoint", "what_if", "outcome",
                "unavailable").counter().count()).isZero();
    }

    @Test
    void aLimitOutsideItsRangeIsRefused() {
        assertThat(error(get("/v1/clients?limit=0"))).containsEntry("field", "limit");
        assertThat(error(get("/v1/clients?limit=501"))).containsEntry("field", "limit");
        assertThat(error(get("/v1/fingerprints?limit=ten"))).containsEntry("field", "limit");
    }

    @Test
    void whatIfNeedsAKnownVersion() {
        assertThat(error(get("/v1/what-if"))).containsEntry("field", "minVersion");
        assertThat(error(get("/v1/what-if?minVersion=TLSv9"))).containsEntry("field", "minVersion");
    }

    @Test
    void outdatedMustBeABoolean() {
        assertThat(error(get("/v1/fingerprints?outdated=yes"))).containsEntry("field", "outdated");
    }

    @Test
    void aRepeatedParameterIsRefused() {
        assertThat(error(get("/v1/clients?posture=stuck&posture=healthy"))).containsEntry("field", "posture");
    }

    @Test
    void unknownPathsAreNotFoundAndOtherMethodsNotAllowed() {
        assertThat(get("/v1/nothing").status()).isEqualTo(HttpResponseStatus.NOT_FOUND);
        assertThat(router.route(HttpMethod.POST, "/v1/clients").join().status())
                .isEqualTo(HttpResponseStatus.METHOD_NOT_ALLOWED);
    }

    @Test
    void onlyV1PathsAreTheRoutersOwn() {
        assertThat(QueryRouter.handles("/v1/clients?x=1")).isTrue();
        assertThat(QueryRouter.handles("/metrics")).isFalse();
        assertThat(QueryRouter.handles("/health/ready")).isFalse();
    }
}
