package io.tlswatch.streams.query;

import io.tlswatch.contract.event.Posture;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QueryParamsTest {

    @Test
    void readsEachKindOfParameter() {
        QueryParams p = new QueryParams(Map.of("posture", List.of("at_risk"), "limit", List.of("7"),
                "outdated", List.of("false"), "minVersion", List.of("TLSv1.2")));

        assertThat(p.posture("posture")).isEqualTo(Posture.AT_RISK);
        assertThat(p.limit("limit", 100, 1000)).isEqualTo(7);
        assertThat(p.bool("outdated")).isFalse();
        assertThat(p.tlsVersion("minVersion")).isEqualTo("TLSv1.2");
    }

    @Test
    void absentOptionalParametersAreNullOrTheDefault() {
        QueryParams p = new QueryParams(Map.of());

        assertThat(p.posture("posture")).isNull();
        assertThat(p.bool("outdated")).isNull();
        assertThat(p.limit("limit", 100, 1000)).isEqualTo(100);
    }

    @Test
    void aLongBadValueIsCutShortInTheMessage() {
        QueryParams p = new QueryParams(Map.of("posture", List.of("x".repeat(500))));

        assertThatThrownBy(() -> p.posture("posture")).isInstanceOf(BadQuery.class)
                .satisfies(e -> assertThat(e.getMessage()).hasSizeLessThan(200));
    }
}
