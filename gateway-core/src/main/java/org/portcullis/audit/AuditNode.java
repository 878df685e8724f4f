package org.portcullis.audit;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;
import org.portcullis.config.AuditConfig;
import org.portcullis.config.GatewayConfig;

/**
 * Which node an audit trail belongs to (issue 18: each node of a cluster keeps its own sealed trail, named by its
 * node id). {@code audit.node_id} when set; otherwise, on a shared PostgreSQL store, the host name, so that every
 * cluster node's lines say whose they are and their ends stay apart in the store; a single gateway on SQLite names no
 * node, and its trail is written exactly as before.
 */
public final class AuditNode {
    private static final Pattern UNSAFE = Pattern.compile("[^A-Za-z0-9._-]");

    private AuditNode() {
    }

    /** {@code config}'s audit section with the node id this gateway writes (null without an audit section). */
    public static AuditConfig named(GatewayConfig config) {
        AuditConfig audit = config.audit();
        if (audit == null || audit.nodeId() != null || config.storage() == null
                || config.storage().postgresql() == null) {
            return audit;
        }
        return audit.withNodeId(hostName());
    }

    /** This host's name, cut to what a node id may hold. */
    static String hostName() {
        String name;
        try {
            name = InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            name = "unknown-host";
        }
        String safe = UNSAFE.matcher(name).replaceAll("-");
        return safe.isEmpty() ? "unknown-host" : safe.substring(0, Math.min(64, safe.length()));
    }
}
