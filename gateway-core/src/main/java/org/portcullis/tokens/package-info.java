/**
 * Bearer tokens the gateway hands out and later takes back (remote-desktop access tokens, the codes and tokens of
 * {@code portcullis connect}): {@link org.portcullis.tokens.HashedTokens} makes, hashes, seals and checks them, once
 * for all of them; {@link org.portcullis.tokens.TokenStore} is where they wait, in this process
 * ({@link org.portcullis.tokens.InMemoryTokenStore}) or, with {@code cache.redis}, in Redis for every node of a cluster
 * ({@code cluster.RedisTokenStore}). Depends on nothing of the gateway but the JDK.
 */
package org.portcullis.tokens;
