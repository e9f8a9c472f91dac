package io.acip.gateway.registry;

import io.acip.gateway.attach.AttachRefusedException;

/**
 * What the attachment writes through before a run-time agent takes effect at this node, or stops: the registry
 * (through {@link RegistrySync}), which may refuse (409, 503) and so keep the change from happening anywhere.
 */
public interface RegistrationWriter {
    /** A node without a registry: nothing is kept. */
    RegistrationWriter NONE = new RegistrationWriter() {
        @Override
        public void put(Registration r) {
        }

        @Override
        public void remove(String agent) {
        }
    };

    void put(Registration r) throws AttachRefusedException;

    void remove(String agent) throws AttachRefusedException;
}
