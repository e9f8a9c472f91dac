package io.acip.ingress.h3;

import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyStatus;
import io.acip.ingress.HttpFailure;
import io.acip.ingress.ProblemDocument;
import io.acip.ingress.WriteCallback;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http3.DefaultHttp3DataFrame;
import java.nio.charset.StandardCharsets;

/** Answers a request with a failure: status, {@code Proxy-Status} (RFC 9209) and an RFC 9457 problem document. */
final class ProblemAnswer {
    private ProblemAnswer() {
    }

    /** Writes the whole answer and FIN; {@code done} runs once the answer left. */
    static void write(StreamWriter writer, String proxyName, HttpFailure failure, WriteCallback done) {
        byte[] body = ProblemDocument.json(failure).getBytes(StandardCharsets.UTF_8);
        java.util.List<io.acip.capsule.bhttp.Field> lines = new java.util.ArrayList<>(Fields.of(
                "content-type", ProblemDocument.MEDIA_TYPE,
                ProxyStatus.FIELD_NAME.toLowerCase(java.util.Locale.ROOT), ProblemDocument.proxyStatus(proxyName, failure),
                "cache-control", "no-store",
                "content-length", Integer.toString(body.length)).lines());
        lines.addAll(failure.fields().lines());
        Fields fields = new Fields(lines);
        writer.write(StreamWriter.headers(ProblemDocument.status(failure), fields, null), false, f -> { });
        writer.write(new DefaultHttp3DataFrame(Unpooled.wrappedBuffer(body)), true, done);
    }
}
