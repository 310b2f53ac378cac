package io.tlswatch.http;

/** One condition of a service's readiness, e.g. "the license registry has caught up". */
public interface HealthCheck {

    /** A short, stable name shown in {@code /health/ready}. */
    String name();

    /** Whether this part is ready now; must be cheap and must not block. */
    boolean ready();

    static HealthCheck of(String name, java.util.function.BooleanSupplier ready) {
        return new HealthCheck() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public boolean ready() {
                return ready.getAsBoolean();
            }
        };
    }
}
