package org.portcullis.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import org.portcullis.config.YamlNode.Entry;
import org.portcullis.config.YamlNode.YamlMap;

/**
 * Checks {@code networks}: named lists of CIDRs that access rules refer to by name. Names use the same characters as
 * route names, so a name can never be mistaken for a CIDR.
 */
final class NetworksValidator {
    static final Pattern NAME = Pattern.compile("[a-z0-9_-]+");
    static final String NETWORK_NAME = "network name";

    private final NodeReader reader;

    NetworksValidator(NodeReader reader) {
        this.reader = reader;
    }

    /**
     * The networks by name. Names whose own definition is wrong are still returned (with the CIDRs that parsed), so
     * that rules naming them are not reported a second time as unknown.
     */
    Map<String, NetworkRef> validate(YamlNode node) {
        Map<String, NetworkRef> networks = new LinkedHashMap<>();
        if (!(node instanceof YamlMap map)) {
            reader.mapping(node, List.of()); // reports the wrong type
            return networks;
        }
        for (Entry entry : map.entries().values()) {
            if (!NAME.matcher(entry.key()).matches()) {
                reader.problems().error(entry.keyLine(), entry.value().path(),
                        Messages.notName("'" + ValueDisplay.escape(entry.key()) + "'", NETWORK_NAME));
                continue;
            }
            List<Cidr> cidrs = reader.listOf(entry.value(), reader::cidr).orElse(List.of());
            networks.put(entry.key(), new NetworkRef(entry.key(), cidrs));
        }
        return networks;
    }
}
