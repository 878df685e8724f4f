package org.portcullis.config;

import java.util.ArrayList;
import java.util.List;
import org.portcullis.config.YamlNode.YamlList;
import org.portcullis.config.YamlNode.YamlMap;

/**
 * Warns about a policy that asks for a sign-in in a config with no {@code portal} (and so no users): the gateway
 * then answers every such request with a challenge nobody can complete, a dead end for every browser. Not an error:
 * a gateway may be run before its users exist. Only for a config with routes: one without is a policy sketch for
 * {@code policy check} and serves nothing.
 * Said once, at the first rule (or {@code default_policy}) that needs a sign-in, with how many more do.
 */
final class SignInWithoutPortalWarning {
    private SignInWithoutPortalWarning() {
    }

    static void warn(Problems problems, AccessControlConfig accessControl, YamlNode accessControlNode) {
        List<YamlNode> needing = new ArrayList<>();
        List<YamlNode> ruleNodes = items(child(accessControlNode, AccessControlValidator.RULES));
        List<AccessRule> rules = accessControl.rules();
        for (int i = 0; i < rules.size() && i < ruleNodes.size(); i++) {
            if (needsSignIn(rules.get(i).policy())) {
                YamlNode policy = child(ruleNodes.get(i), AccessControlValidator.POLICY);
                needing.add(policy != null ? policy : ruleNodes.get(i));
            }
        }
        YamlNode defaultPolicy = child(accessControlNode, AccessControlValidator.DEFAULT_POLICY);
        if (needsSignIn(accessControl.defaultPolicy()) && defaultPolicy != null) {
            needing.add(defaultPolicy);
        }
        if (!needing.isEmpty()) {
            problems.warning(needing.get(0), Messages.signInWithoutPortal(needing.size() - 1));
        }
    }

    private static boolean needsSignIn(PolicyKind policy) {
        return policy == PolicyKind.ONE_FACTOR || policy == PolicyKind.TWO_FACTOR;
    }

    private static YamlNode child(YamlNode node, String key) {
        if (node instanceof YamlMap map && map.entries().containsKey(key)) {
            return map.entries().get(key).value();
        }
        return null;
    }

    private static List<YamlNode> items(YamlNode node) {
        return node instanceof YamlList list ? list.items() : List.of();
    }
}
