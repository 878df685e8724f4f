/**
 * State the nodes of a cluster share through Redis ({@code cache.redis}, issue 18): the connections
 * ({@link org.portcullis.cluster.RedisConnections}), WebAuthn challenges, SSO callback codes, remote-access tokens
 * ({@link org.portcullis.cluster.RedisTokenStore}) and per-address sign-in failure counters with TTLs, and the channel that carries session invalidations to every node
 * ({@link org.portcullis.cluster.RedisInvalidationChannel}). Each class implements a seam of the package that owns the
 * concept ({@code webauthn.ChallengeStore}, {@code portal.guard.CallbackCodeStore}, {@code tokens.TokenStore},
 * {@code regulation.FailureCounter},
 * {@code session.InvalidationChannel}); only {@code server} wires them. See docs/cluster.md.
 */
package org.portcullis.cluster;
