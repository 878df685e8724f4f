package org.portcullis.audit;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * One cluster node's audit trail (issue 18): the node id its lines carry ({@code service.node.name}) and its files,
 * oldest first. Each node seals its own chain, so a trail is verified on its own and only its events are merged with
 * other nodes' ({@link MergedTrails}).
 */
public record NodeTrail(String node, List<Path> files) {
    public NodeTrail {
        Objects.requireNonNull(node, "node");
        files = List.copyOf(files);
    }
}
