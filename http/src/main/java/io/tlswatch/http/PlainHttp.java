package io.tlswatch.http;

import io.netty.channel.ChannelPipeline;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.timeout.ReadTimeoutHandler;

import java.util.concurrent.TimeUnit;

/** The front of every plain-HTTP pipeline we serve (admin and query ports): small requests, read one at a time. */
public final class PlainHttp {

    /** A connection that sends nothing for this long is closed: these ports serve scrapers and operators. */
    static final int READ_TIMEOUT_SECONDS = 30;

    private PlainHttp() {
    }

    /** Adds the read timeout, the HTTP codec and an aggregator that refuses requests over {@code maxRequestBytes}. */
    public static ChannelPipeline addCodec(ChannelPipeline pipeline, int maxRequestBytes) {
        return pipeline
                .addLast(new ReadTimeoutHandler(READ_TIMEOUT_SECONDS, TimeUnit.SECONDS))
                .addLast(new HttpServerCodec(4096, maxRequestBytes, maxRequestBytes))
                .addLast(new HttpObjectAggregator(maxRequestBytes));
    }
}
