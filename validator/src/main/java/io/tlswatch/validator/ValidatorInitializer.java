package io.tlswatch.validator;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.util.concurrent.EventExecutorGroup;
import io.tlswatch.contract.publish.EventSink;
import io.tlswatch.contract.topic.Topics;
import io.tlswatch.tlsserver.host.ServicePipeline;
import io.tlswatch.validator.api.ApiMetrics;
import io.tlswatch.validator.api.LicenseApiHandler;
import io.tlswatch.validator.api.LicenseService;
import io.tlswatch.validator.api.MachineService;
import io.tlswatch.validator.api.RefusalLog;
import io.tlswatch.validator.api.ValidateRequestReader;

import java.util.function.Supplier;

/**
 * Builds each connection's pipeline: the host's limits, handshake capture and HTTP limits
 * ({@link ServicePipeline}), then the license API.
 */
@ChannelHandler.Sharable
final class ValidatorInitializer extends ChannelInitializer<SocketChannel> {

    /**
     * What the license API handler of each connection is made of.
     *
     * @param machines the machine endpoints
     * @param jwks     the current public keys, as the JWKS document
     * @param events   where license-check events go
     * @param executor where validations run, off the event loops
     */
    record Api(ValidateRequestReader reader, LicenseService service, MachineService machines, Supplier<String> jwks,
               ApiMetrics metrics, RefusalLog refusalLog, EventSink events, EventExecutorGroup executor) {
    }

    private final ServicePipeline pipeline;
    private final Api api;

    ValidatorInitializer(ServicePipeline pipeline, Api api) {
        this.pipeline = pipeline;
        this.api = api;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        // On the event loop; only validations (a proof verified, a token signed: about a millisecond of CPU) and the
        // machine endpoints (which may wait for their row) go to the API executor, so the loops keep handshaking.
        pipeline.install(ch, () -> api.metrics().rejected("body_too_large"),
                observation -> new LicenseApiHandler(api.reader(), api.service(), api.machines(), api.jwks(), api.events(),
                        Topics.LICENSE_CHECKS, api.metrics(), api.refusalLog(), observation::established,
                        api.executor()));
    }
}
