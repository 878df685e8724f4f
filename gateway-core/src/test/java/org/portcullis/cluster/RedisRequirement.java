package org.portcullis.cluster;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.portcullis.fixtures.RedisServer;

/** A machine without redis-server skips the Redis tests, but CI must not: there they fail (as BrowserRequirement). */
public final class RedisRequirement {
    private RedisRequirement() {
    }

    public static void require() {
        if (RedisServer.installed()) {
            return;
        }
        String message = "Redis tests need " + RedisServer.EXECUTABLE + " (Debian: apt-get install redis-server)";
        if ("true".equals(System.getenv("CI"))) {
            fail(message + "; CI=true, so they must run");
        }
        Assumptions.abort(message + "; skipped because CI is not 'true'");
    }
}
