package io.acip.control;

/**
 * What a node takes from and gives to one neighbour (docs/acip-v0.md §12.4).
 *
 * @param maxPrefixes prefixes the neighbour may announce at once, over all tenants; one more ends the channel
 * @param maxPathLength longest path vector accepted from the neighbour; longer routes are ignored
 * @param maxRouteBytes bytes the neighbour's routes may hold at once as encoded (prefixes, paths, attributes); more
 *     ends the channel like one prefix too many
 */
public record BorderPolicy(RouteFilter importFilter, RouteFilter exportFilter, long maxPrefixes, int maxPathLength,
                           long maxRouteBytes) {
    /** A bound on what one neighbour can make this node hold, far above a large fabric's table. */
    public static final long DEFAULT_MAX_PREFIXES = 50_000;
    /** 50,000 routes of some 650 bytes each: long paths and several attributes. */
    public static final long DEFAULT_MAX_ROUTE_BYTES = 32L << 20;
    /** One fabric: everything accepted and exported, up to the protocol's limits and the default budgets. */
    public static final BorderPolicy OPEN = new BorderPolicy(RouteFilter.ALL, RouteFilter.ALL, DEFAULT_MAX_PREFIXES,
            Update.MAX_PATH);

    public BorderPolicy {
        if (maxPrefixes < 1) throw new IllegalArgumentException("max_prefixes must be at least 1");
        if (maxPathLength < 1 || maxPathLength > Update.MAX_PATH) {
            throw new IllegalArgumentException("max_path_length must be 1.." + Update.MAX_PATH);
        }
        if (maxRouteBytes < 1) throw new IllegalArgumentException("max_route_bytes must be at least 1");
    }

    /** With the default byte budget. */
    public BorderPolicy(RouteFilter importFilter, RouteFilter exportFilter, long maxPrefixes, int maxPathLength) {
        this(importFilter, exportFilter, maxPrefixes, maxPathLength, DEFAULT_MAX_ROUTE_BYTES);
    }
}
