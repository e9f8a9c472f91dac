package io.acip.gateway.udp;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class TargetResolverTest {
    @ParameterizedTest
    @CsvSource({"0,NOERROR", "1,FORMERR", "2,SERVFAIL", "3,NXDOMAIN", "4,NOTIMP", "5,REFUSED", "9,NOTAUTH", "23,RCODE23"})
    void rcodeMnemonicsAreIanas(int code, String mnemonic) {
        assertEquals(mnemonic, TargetResolver.mnemonic(code));
    }
}
