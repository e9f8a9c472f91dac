package io.acip.control;

import io.acip.wire.Metadata;
import java.util.ArrayList;
import java.util.List;

/**
 * One route a neighbour offers (docs/acip-v0.md §12.3): the prefix, the path vector (nearest node first, the origin
 * last) and the attributes, unknown ones included, which are passed on as received.
 */
public record Announcement(RouteKey key, List<String> path, Metadata attributes) {
    public Announcement {
        path = List.copyOf(path);
    }

    /** This route as {@code self} passes it on: itself first on the path, the attributes untouched. */
    public Announcement prepended(String self) {
        List<String> p = new ArrayList<>(path.size() + 1);
        p.add(self);
        p.addAll(path);
        return new Announcement(key, p, attributes);
    }

    public String origin() {
        return path.get(path.size() - 1);
    }
}
