package io.acip.gateway.udp;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.ingress.DatagramTransport;
import io.acip.ingress.HttpFailure;
import io.netty.buffer.ByteBuf;
import io.netty.channel.AddressedEnvelope;
import io.netty.channel.EventLoop;
import io.netty.handler.codec.dns.DefaultDnsQuestion;
import io.netty.handler.codec.dns.DnsRawRecord;
import io.netty.handler.codec.dns.DnsRecord;
import io.netty.handler.codec.dns.DnsRecordType;
import io.netty.handler.codec.dns.DnsResponse;
import io.netty.handler.codec.dns.DnsResponseCode;
import io.netty.handler.codec.dns.DnsSection;
import io.netty.resolver.DefaultHostsFileEntriesResolver;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.resolver.dns.DnsNameResolverTimeoutException;
import io.netty.resolver.dns.DnsServerAddressStreamProviders;
import io.netty.resolver.dns.SequentialDnsServerAddressStreamProvider;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;

/**
 * Looks up a CONNECT-UDP target before the request is answered. IP literals and the hosts file answer at once; other
 * names are asked of the name servers as A and AAAA queries in parallel, one attempt each within the timeout, so the
 * DNS response code is known and can be told to the agent (RFC 9209 §2.3.2 {@code rcode}), which the JDK's resolver
 * cannot do. Names are queried as absolute (no search domains): a proxy target is a full name.
 */
public final class TargetResolver implements AutoCloseable {
    /** RFC 1035 §2.3.4: 255 octets on the wire, so 253 characters as text; letters, digits, hyphen, underscore. */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}\\.?$)([a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)(\\.[a-z0-9_]([a-z0-9_-]{0,61}[a-z0-9_])?)*\\.?");

    private final DnsNameResolver resolver;
    private final Duration timeout;
    private final DefaultHostsFileEntriesResolver hostsFile = new DefaultHostsFileEntriesResolver();

    public TargetResolver(EventLoop loop, List<InetSocketAddress> nameservers, Duration timeout) {
        this.timeout = timeout;
        this.resolver = new DnsNameResolverBuilder(loop)
                .datagramChannelType(DatagramTransport.of(loop).orElse(DatagramTransport.NIO).channelType())
                .nameServerProvider(nameservers.isEmpty() ? DnsServerAddressStreamProviders.platformDefault()
                        : new SequentialDnsServerAddressStreamProvider(nameservers))
                .queryTimeoutMillis(timeout.toMillis())
                .maxQueriesPerResolve(1)
                .recursionDesired(true)
                .build();
    }

    /** Completes (on the resolver's event loop, or at once) with the addresses or the refusal; never fails. */
    public CompletableFuture<Resolution> resolve(String host) {
        byte[] literal = NetUtil.createByteArrayFromIpAddressString(host);
        if (literal != null) {
            try {
                return CompletableFuture.completedFuture(new Resolution.Addresses(List.of(InetAddress.getByAddress(literal))));
            } catch (UnknownHostException e) {
                throw new IllegalStateException(e); // a 4- or 16-byte array: cannot happen
            }
        }
        String name = host.toLowerCase(Locale.ROOT);
        if (!HOST_NAME.matcher(name).matches()) {
            return CompletableFuture.completedFuture(new Resolution.Failed(new HttpFailure(400,
                    ProxyErrorType.HTTP_REQUEST_ERROR, "'" + host + "' is not a host name")));
        }
        List<InetAddress> fromHosts = hostsFile.addresses(name, ResolvedAddressTypes.IPV4_PREFERRED);
        if (fromHosts != null && !fromHosts.isEmpty()) {
            return CompletableFuture.completedFuture(new Resolution.Addresses(fromHosts));
        }
        String absolute = name.endsWith(".") ? name : name + ".";
        CompletableFuture<Answer> a = query(absolute, DnsRecordType.A);
        CompletableFuture<Answer> aaaa = query(absolute, DnsRecordType.AAAA);
        return a.thenCombine(aaaa, (four, six) -> decide(host, four, six));
    }

    /** One response's code and addresses, or a timeout (code null), or another failure. */
    private record Answer(DnsResponseCode code, List<InetAddress> addresses, boolean timedOut, String failure) {
    }

    private CompletableFuture<Answer> query(String name, DnsRecordType type) {
        CompletableFuture<Answer> out = new CompletableFuture<>();
        Future<AddressedEnvelope<DnsResponse, InetSocketAddress>> f;
        try {
            f = resolver.query(new DefaultDnsQuestion(name, type));
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(new Answer(null, List.of(), false, String.valueOf(e.getMessage())));
        }
        f.addListener(done -> {
            if (!done.isSuccess()) {
                Throwable c = done.cause();
                boolean timedOut = c instanceof DnsNameResolverTimeoutException;
                out.complete(new Answer(null, List.of(), timedOut, String.valueOf(c.getMessage())));
                return;
            }
            @SuppressWarnings("unchecked")
            AddressedEnvelope<DnsResponse, InetSocketAddress> envelope =
                    (AddressedEnvelope<DnsResponse, InetSocketAddress>) done.getNow();
            try {
                out.complete(new Answer(envelope.content().code(), addresses(envelope.content(), type), false, null));
            } finally {
                envelope.release();
            }
        });
        return out;
    }

    /** A and AAAA records of the answer section (a recursive server puts the CNAME chain's end there too). */
    private static List<InetAddress> addresses(DnsResponse response, DnsRecordType type) {
        List<InetAddress> out = new ArrayList<>();
        int length = type == DnsRecordType.A ? 4 : 16;
        for (int i = 0; i < response.count(DnsSection.ANSWER); i++) {
            DnsRecord r = response.recordAt(DnsSection.ANSWER, i);
            if (r.type() != type || !(r instanceof DnsRawRecord raw)) continue;
            ByteBuf content = raw.content();
            if (content.readableBytes() != length) continue;
            byte[] bytes = new byte[length];
            content.getBytes(content.readerIndex(), bytes);
            try {
                out.add(InetAddress.getByAddress(bytes));
            } catch (UnknownHostException e) {
                // cannot happen for 4 or 16 bytes
            }
        }
        return out;
    }

    /**
     * Any address wins (IPv4 first). Otherwise an NXDOMAIN (it holds for every type), then another error code, then
     * a timeout, then "no address" (NOERROR without A or AAAA: NODATA).
     */
    private Resolution decide(String host, Answer four, Answer six) {
        List<InetAddress> all = new ArrayList<>(four.addresses());
        all.addAll(six.addresses());
        if (!all.isEmpty()) return new Resolution.Addresses(all);
        for (Answer x : List.of(four, six)) {
            if (DnsResponseCode.NXDOMAIN.equals(x.code())) {
                return new Resolution.Failed(HttpFailure.dnsError("NXDOMAIN", host + " does not exist"));
            }
        }
        for (Answer x : List.of(four, six)) {
            if (x.code() != null && !DnsResponseCode.NOERROR.equals(x.code())) {
                return new Resolution.Failed(HttpFailure.dnsError(mnemonic(x.code().intValue()),
                        "looking up " + host + " failed"));
            }
        }
        if (four.timedOut() || six.timedOut()) {
            return new Resolution.Failed(new HttpFailure(504, ProxyErrorType.DNS_TIMEOUT, "no answer for " + host
                    + " within " + timeout.toMillis() + " ms"));
        }
        for (Answer x : List.of(four, six)) {
            if (x.failure() != null) {
                return new Resolution.Failed(new HttpFailure(502, ProxyErrorType.DNS_ERROR, "looking up " + host
                        + " failed: " + x.failure()));
            }
        }
        return new Resolution.Failed(HttpFailure.dnsError("NOERROR", host + " has no A or AAAA record"));
    }

    /** The IANA DNS RCODE mnemonic (RFC 1035 §4.1.1, RFC 2136 §2.2, RFC 6891 §9), as RFC 9209 §2.3.2 wants it. */
    static String mnemonic(int rcode) {
        return switch (rcode) {
            case 0 -> "NOERROR";
            case 1 -> "FORMERR";
            case 2 -> "SERVFAIL";
            case 3 -> "NXDOMAIN";
            case 4 -> "NOTIMP";
            case 5 -> "REFUSED";
            case 6 -> "YXDOMAIN";
            case 7 -> "YXRRSET";
            case 8 -> "NXRRSET";
            case 9 -> "NOTAUTH";
            case 10 -> "NOTZONE";
            case 16 -> "BADVERS";
            default -> "RCODE" + rcode;
        };
    }

    @Override
    public void close() {
        resolver.close();
    }
}
