/**
 * The access policy: pure code (no Netty) that decides, for one canonical request and the caller's authentication
 * state, whether the gateway forwards, refuses or asks for a (further) factor. Used by the request pipeline and by
 * the {@code portcullis policy check} simulator alike; see {@code docs/policy.md}.
 */
package org.portcullis.policy;
