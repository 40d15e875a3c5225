/**
 * Identity: the Ed25519 network key ({@link io.weft.crypto.NetworkKey}, BouncyCastle), its key
 * file, the {@link io.weft.crypto.PeerId} (the 32-byte public key; 8 hex characters in logs) and
 * the self-signed X.509 certificate that carries it in TLS.
 */
package io.weft.crypto;
