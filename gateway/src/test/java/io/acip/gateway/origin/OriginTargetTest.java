package io.acip.gateway.origin;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OriginTargetTest {
    @ParameterizedTest(name = "''{0}'' + ''{1}'' = ''{2}''")
    @CsvSource(value = {
        "'',         /a?b=1,       /a?b=1",
        "/,          /a,           /a",
        "/p,         /a,           /p/a",
        "/p/,        /a/,          /p/a/",
        "/p,         '',           /p",
        "/p,         /,            /p",
        "/p,         /?n=5,        /p?n=5",
        "'',         /?n=5,        /?n=5",
        "'',         '',           /",
        "/p,         *,            /p/*",
        "'',         //double/x,   //double/x",
        "/p,         /a%2Fb?q=%zz, /p/a%2Fb?q=%zz",
    })
    void joinsBasePathAndTarget(String base, String path, String joined) {
        assertEquals(joined, OriginTarget.join(base, path));
    }
}
