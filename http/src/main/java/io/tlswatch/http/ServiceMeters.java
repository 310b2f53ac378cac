package io.tlswatch.http;

import io.micrometer.core.instrument.binder.jvm.JvmGcMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmMemoryMetrics;
import io.micrometer.core.instrument.binder.jvm.JvmThreadMetrics;
import io.micrometer.core.instrument.binder.system.ProcessorMetrics;
import io.micrometer.prometheusmetrics.PrometheusConfig;
import io.micrometer.prometheusmetrics.PrometheusMeterRegistry;

/**
 * A service's meter registry, the same for every service: Prometheus format, every series tagged with
 * {@code service} (so one dashboard query tells the services apart), and the JVM and process binders
 * (docs/metrics.md, "Binders").
 */
public final class ServiceMeters {

    private ServiceMeters() {
    }

    /** @param service the service's name as dashboards select it: {@code validator}, {@code collector}, ... */
    public static PrometheusMeterRegistry create(String service) {
        PrometheusMeterRegistry meters = new PrometheusMeterRegistry(PrometheusConfig.DEFAULT);
        meters.config().commonTags("service", service);
        new JvmMemoryMetrics().bindTo(meters);
        new JvmGcMetrics().bindTo(meters);
        new JvmThreadMetrics().bindTo(meters);
        new ProcessorMetrics().bindTo(meters);
        return meters;
    }
}
