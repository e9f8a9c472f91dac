package io.acip.ingress;

import io.acip.capsule.bhttp.Field;
import io.acip.capsule.bhttp.Fields;
import io.acip.capsule.proxystatus.ProxyErrorType;
import java.util.ArrayList;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * An error answer (RFC 9209 Proxy-Status, RFC 9457 problem details): the status, the Proxy-Status error type, a
 * human detail, and any further Proxy-Status parameters the error type defines (RFC 9209 §2.1-§2.3, e.g.
 * {@code rcode} for {@code dns_error}). The listener renders it as
 * {@code Proxy-Status: <gateway>; error=<type>; <parameters>; details="..."} and an {@code application/problem+json}
 * body, with {@code fields} added to the answer (a challenge such as {@code WWW-Authenticate}, or {@code Retry-After}).
 */
public record HttpFailure(int status, ProxyErrorType error, String detail, Map<String, Object> parameters,
                          Fields fields) {
    public HttpFailure {
        parameters = Map.copyOf(parameters);
        fields = fields == null ? Fields.EMPTY : fields;
    }

    public HttpFailure(int status, ProxyErrorType error, String detail, Map<String, Object> parameters) {
        this(status, error, detail, parameters, Fields.EMPTY);
    }

    public HttpFailure(int status, ProxyErrorType error, String detail) {
        this(status, error, detail, Map.of());
    }

    /** This failure answered with one more header field (lowercase name). */
    public HttpFailure withField(String name, String value) {
        List<Field> more = new ArrayList<>(fields.lines());
        more.add(new Field(name, value));
        return new HttpFailure(status, error, detail, parameters, new Fields(more));
    }

    /** RFC 9209 §2.3.2: {@code dns_error} with the DNS RCODE (e.g. {@code NXDOMAIN}), answered 502. */
    public static HttpFailure dnsError(String rcode, String detail) {
        return new HttpFailure(502, ProxyErrorType.DNS_ERROR, detail, Map.of("rcode", rcode));
    }

    /** This failure with one more Proxy-Status parameter. */
    public HttpFailure with(String parameter, Object value) {
        Map<String, Object> more = new LinkedHashMap<>(parameters);
        more.put(parameter, value);
        return new HttpFailure(status, error, detail, more, fields);
    }
}
