package io.tlswatch.collector;

/** The same ends of refused connections on the collector's HTTPS listener with the JDK's TLS provider. */
class CollectorTlsClosesJdkProviderIT extends CollectorTlsClosesIT {

    @Override
    String provider() {
        return "jdk";
    }
}
