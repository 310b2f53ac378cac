package io.tlswatch.streams.query;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;
import io.tlswatch.http.AdminHandler;

import java.util.concurrent.TimeUnit;

/** The pipeline of a query connection: HTTP codec, a small request limit, the query API, then admin. */
final class QueryServerInitializer extends ChannelInitializer<SocketChannel> {

    /** Queries are GETs: a request line, headers and no body to speak of. */
    static final int MAX_REQUEST_BYTES = 8 * 1024;

    private final QueryHandlerSlot slot;
    private final AdminHandler admin;

    QueryServerInitializer(QueryHandlerSlot slot, AdminHandler admin) {
        this.slot = slot;
        this.admin = admin;
    }

    @Override
    protected void initChannel(SocketChannel ch) {
        ch.pipeline()
                .addLast(new ReadTimeoutHandler(30, TimeUnit.SECONDS))
                .addLast(new HttpServerCodec(4096, MAX_REQUEST_BYTES, MAX_REQUEST_BYTES))
                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                .addLast(slot.handler())
                .addLast(admin);
    }
}
