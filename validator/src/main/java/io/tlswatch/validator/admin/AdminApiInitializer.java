package io.tlswatch.validator.admin;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.tlswatch.tlsserver.host.ServicePipeline;

import java.util.concurrent.Executor;

/** Builds each admin connection's pipeline: the host's limits, TLS and HTTP ({@link ServicePipeline}), then the API. */
@ChannelHandler.Sharable
public final class AdminApiInitializer extends ChannelInitializer<SocketChannel> {

    private final ServicePipeline pipeline;
    private final AdminApi api;
    private final AdminMetrics metrics;
    private final Executor work;

    public AdminApiInitializer(ServicePipeline pipeline, AdminApi api, AdminMetrics metrics, Executor work) {
        this.pipeline = pipeline;
        this.api = api;
        this.metrics = metrics;
        this.work = work;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        pipeline.install(ch, () -> metrics.error("body_too_large"),
                observation -> new AdminApiHandler(api, metrics, work));
    }
}
