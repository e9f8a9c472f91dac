package io.acip.gateway.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.acip.capsule.proxystatus.ProxyErrorType;
import io.acip.gateway.http.RequestPath.EscapedSlashes;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** RFC 3986 §5.2.4 dot-segment removal on request targets, with the gateway's refusals, one row per rule. */
class RequestPathTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/a/b/c|/a/b/c",
        "/scoped/../outside|/outside",
        "/a/./b|/a/b",
        "/a/b/..|/a/",
        "/a/b/.|/a/b/",
        "/a/%2e%2e/b|/b",
        "/a/%2E%2E/b|/b",
        "/a/.%2e/b|/b",
        "/a/%2e./b|/b",
        "/a/%2E/b|/a/b",
        "/a/..;x=1/b|/b",
        "/a/b/../../c?d=/../e|/c?d=/../e",
        "/a//../b|/a/b",
        "/..a/b.|/..a/b.",
        "/a%2eb|/a%2eb",
        "/?q=1|/?q=1",
        "*|*",
    })
    void removesDotSegments(String target, String expected) {
        RequestPath.Result r = RequestPath.normalize(target, EscapedSlashes.REJECT);
        assertEquals(expected, assertInstanceOf(RequestPath.Normalized.class, r).target());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/..|climbs above",
        "/a/../../b|climbs above",
        "/%2e%2e/etc/passwd|climbs above",
        "/a/%2F../b|encoded slash",
        "/a%2fb|encoded slash",
        "/a%5Cb|encoded slash",
        "/a%5cb|encoded slash",
    })
    void refusesWhatCannotBeConfined(String target, String why) {
        RequestPath.Result r = RequestPath.normalize(target, EscapedSlashes.REJECT);
        RequestPath.Rejected rejected = assertInstanceOf(RequestPath.Rejected.class, r);
        assertEquals(400, rejected.failure().status());
        assertEquals(ProxyErrorType.HTTP_REQUEST_ERROR, rejected.failure().error());
        assertTrue(rejected.failure().detail().contains(why), rejected.failure().detail());
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', value = {
        "/a%2Fb|/a%2Fb",
        "/files/a%5cb/../c|/files/c",
        "/a/..%2F..%2Fb|/a/..%2F..%2Fb",
    })
    void keepsEscapedSlashesWhenConfigured(String target, String expected) {
        RequestPath.Result r = RequestPath.normalize(target, EscapedSlashes.KEEP);
        assertEquals(expected, assertInstanceOf(RequestPath.Normalized.class, r).target());
    }

    /**
     * Under a prefix (the far node's skill path) a target is refused when any reading of it climbs out, an encoded
     * slash or backslash read as a separator included: some origins decode them before resolving dot segments.
     */
    @ParameterizedTest(name = "{0}: {1}")
    @CsvSource(delimiter = '|', value = {
        "/x/../y|/y",
        "/a%2Fb|/a%2Fb",
        "/..|",
        "/%2e%2e%2Foutside|",
        "/a/..%2F..%2Fb|",
        "/a/..%5c..%5cb|",
        "/a\\..\\..\\b|",
    })
    void confinesUnderAPrefix(String target, String expected) {
        RequestPath.Result r = RequestPath.confined(target);
        if (expected == null) {
            RequestPath.Rejected rejected = assertInstanceOf(RequestPath.Rejected.class, r);
            assertTrue(rejected.failure().detail().contains("leaves"), rejected.failure().detail());
        } else {
            assertEquals(expected, assertInstanceOf(RequestPath.Normalized.class, r).target());
        }
    }
}
