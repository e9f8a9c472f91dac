package io.acip.node;

import java.security.PrivateKey;
import java.security.cert.X509Certificate;

/** The certificate (issued by the fabric CA, naming the skill) and key a responder proves skill ownership with. */
public record SkillIdentity(PrivateKey key, X509Certificate certificate) {
}
