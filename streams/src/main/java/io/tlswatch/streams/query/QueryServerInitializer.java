package io.tlswatch.streams.query;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;
import io.tlswatch.http.AdminHandler;
import io.tlswatch.http.PlainHttp;

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
        PlainHttp.addCodec(ch.pipeline(), MAX_REQUEST_BYTES)
                .addLast(slot.handler())
                .addLast(admin);
    }
}
