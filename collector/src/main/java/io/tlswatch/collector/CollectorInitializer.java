package io.tlswatch.collector;

import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.tlswatch.collector.http.CollectorMetrics;
import io.tlswatch.collector.http.ReportApi;
import io.tlswatch.collector.http.ReportsHandler;
import io.tlswatch.tlsserver.host.ServicePipeline;

/**
 * Builds each connection's pipeline for one of the collector's listeners: the host's limits, handshake capture
 * (HTTPS only) and HTTP limits ({@link ServicePipeline}), then the report API.
 */
@ChannelHandler.Sharable
final class CollectorInitializer extends ChannelInitializer<SocketChannel> {

    private final String listener;
    private final ServicePipeline pipeline;
    private final ReportApi api;

    /** @param listener the {@code listener} of the reports received here: {@code http} or {@code https} */
    CollectorInitializer(String listener, ServicePipeline pipeline, ReportApi api) {
        this.listener = listener;
        this.pipeline = pipeline;
        this.api = api;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        pipeline.install(ch, () -> api.metrics().refused(CollectorMetrics.NONE, "body_too_large"),
                observation -> new ReportsHandler(api, listener, observation == null ? () -> null
                        : () -> observation.summary() == null ? null : observation.summary().ja4()));
    }
}
