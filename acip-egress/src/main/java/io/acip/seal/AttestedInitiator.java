package io.acip.seal;

import java.util.List;

/**
 * An initiator identity a node of the fabric vouched for (docs/acip-v0.md §7.6), as the responder's node verified it.
 *
 * @param identity the SETUP's initiator identity (I)
 * @param groups the initiator's groups, in order
 * @param nodeId the node that attested it: the ID in its certificate, or this node for a session it opened itself
 */
public record AttestedInitiator(String identity, List<String> groups, String nodeId) {
    public AttestedInitiator {
        groups = List.copyOf(groups);
    }
}
