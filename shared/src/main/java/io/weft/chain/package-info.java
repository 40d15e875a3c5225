/**
 * The chain Weft syncs: consensus commits, the blocks they order and the committees that
 * certify them ({@code weft_chain.proto}).
 *
 * <p>Every object is kept as the exact bytes that were produced; {@link io.weft.chain.Digest}s
 * are Blake2b-256 over exactly those bytes ({@link io.weft.chain.Digests}). Blocks are verified
 * by {@link io.weft.chain.Blocks}, ranges of commits by {@link io.weft.chain.CommitVerifier};
 * failures carry a typed {@link io.weft.chain.ChainVerificationException.Reason}.
 * {@link io.weft.chain.ChainBuilder} makes deterministic chains (good or deliberately broken)
 * for tests, devnets and benchmarks.
 */
package io.weft.chain;
