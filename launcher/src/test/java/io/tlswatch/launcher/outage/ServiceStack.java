package io.tlswatch.launcher.outage;

import io.tlswatch.collector.Collector;
import io.tlswatch.streams.PostureJob;
import io.tlswatch.tlsserver.tls.DevCertificateFiles;
import io.tlswatch.validator.Validator;

/** The services a {@link StackLoad} runs against, whatever Kafka they are on. */
interface ServiceStack {

    String bootstrapServers();

    /** The development certificates of the validator and the collector, and the CA the clients trust. */
    DevCertificateFiles certificates();

    Validator validator();

    Collector collector();

    /** The posture job whose rows the ground truth is compared with. */
    PostureJob streams();
}
