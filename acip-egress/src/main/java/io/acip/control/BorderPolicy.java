package io.acip.control;

/**
 * What a node takes from and gives to one neighbour (docs/acip-v0.md §12.4).
 *
 * @param maxPrefixes prefixes the neighbour may announce at once, over all tenants; one more ends the channel
 * @param maxPathLength longest path vector accepted from the neighbour; longer routes are ignored
 */
public record BorderPolicy(RouteFilter importFilter, RouteFilter exportFilter, long maxPrefixes, int maxPathLength) {
    /** One fabric: everything accepted and exported, up to the protocol's limits. */
    public static final BorderPolicy OPEN = new BorderPolicy(RouteFilter.ALL, RouteFilter.ALL, 1_000_000, Update.MAX_PATH);

    public BorderPolicy {
        if (maxPrefixes < 1) throw new IllegalArgumentException("max_prefixes must be at least 1");
        if (maxPathLength < 1 || maxPathLength > Update.MAX_PATH) {
            throw new IllegalArgumentException("max_path_length must be 1.." + Update.MAX_PATH);
        }
    }
}
