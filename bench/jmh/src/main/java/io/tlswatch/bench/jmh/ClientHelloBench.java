package io.tlswatch.bench.jmh;

import io.tlswatch.tlsserver.clienthello.ClientHello;
import io.tlswatch.tlsserver.clienthello.ClientHelloParser;
import io.tlswatch.tlsserver.clienthello.Ja3;
import io.tlswatch.tlsserver.clienthello.Ja4;
import io.tlswatch.tlsserver.clienthello.ParseResult;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The validator's per-connection work on a ClientHello: parsing the first bytes, and the JA3 and JA4
 * fingerprints. The hello is the one the JDK's own TLS client sends (SNI, ALPN, TLS 1.3 and 1.2 offered),
 * produced at set-up by a client-mode {@link SSLEngine}, so nothing is hand-made.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ClientHelloBench {

    @Param({"TLSv1.3", "TLSv1.2"})
    public String protocol;

    private final ClientHelloParser parser = new ClientHelloParser();
    private byte[] records;
    private ClientHello hello;

    @Setup
    public void clientHello() throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, null, null);
        SSLEngine engine = context.createSSLEngine("license.example.com", 443);
        engine.setUseClientMode(true);
        SSLParameters parameters = engine.getSSLParameters();
        parameters.setServerNames(List.of(new SNIHostName("license.example.com")));
        parameters.setApplicationProtocols(new String[]{"http/1.1"});
        parameters.setProtocols(protocol.equals("TLSv1.3") ? new String[]{"TLSv1.3", "TLSv1.2"}
                : new String[]{"TLSv1.2"});
        engine.setSSLParameters(parameters);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        engine.wrap(ByteBuffer.allocate(0), out);
        out.flip();
        records = Arrays.copyOf(out.array(), out.limit());
        ParseResult result = parser.parseRecords(records);
        if (!(result instanceof ParseResult.Parsed parsed)) {
            throw new IllegalStateException("the JDK's hello did not parse: " + result);
        }
        hello = parsed.clientHello();
    }

    @Benchmark
    public ParseResult parse() {
        return parser.parseRecords(records);
    }

    @Benchmark
    public Ja3 ja3() {
        return Ja3.of(hello);
    }

    @Benchmark
    public Ja4 ja4() {
        return Ja4.of(hello);
    }

    /** What a connection costs in all: parse, then both fingerprints. */
    @Benchmark
    public Object parseAndFingerprint() {
        ClientHello parsed = ((ParseResult.Parsed) parser.parseRecords(records)).clientHello();
        return new Object[]{Ja3.of(parsed), Ja4.of(parsed)};
    }
}
