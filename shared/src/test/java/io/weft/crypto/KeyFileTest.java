package io.weft.crypto;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.util.Base64;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class KeyFileTest {

  @TempDir
  Path dir;

  @Test
  void writeThenRead() throws Exception {
    NetworkKey key = NetworkKey.generate();
    Path file = dir.resolve("sub/dir/node.key");
    KeyFile.write(file, key);
    assertThat(KeyFile.read(file).peerId()).isEqualTo(key.peerId());
    String pem = Files.readString(file);
    assertThat(pem).startsWith("-----BEGIN PRIVATE KEY-----\n")
        .endsWith("-----END PRIVATE KEY-----\n");
  }

  @Test
  void fileIsOwnerOnly() throws Exception {
    Path file = dir.resolve("node.key");
    KeyFile.write(file, NetworkKey.generate());
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
        .isEqualTo("rw-------");
  }

  @Test
  void writeOverExistingFails() throws Exception {
    Path file = dir.resolve("node.key");
    NetworkKey first = NetworkKey.generate();
    KeyFile.write(file, first);
    assertThatThrownBy(() -> KeyFile.write(file, NetworkKey.generate()))
        .isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("already exists");
    assertThat(KeyFile.read(file).peerId()).isEqualTo(first.peerId());
  }

  @Test
  void loadOrCreateCreatesOnceThenReads() throws Exception {
    Path file = dir.resolve("node.key");
    NetworkKey created = KeyFile.loadOrCreate(file);
    assertThat(KeyFile.loadOrCreate(file).peerId()).isEqualTo(created.peerId());
  }

  @Test
  void readMissing() {
    Path file = dir.resolve("absent.key");
    assertThatThrownBy(() -> KeyFile.read(file)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("does not exist");
  }

  @Test
  void readNotPem() throws Exception {
    Path file = dir.resolve("garbage.key");
    Files.writeString(file, "this is not a key\n");
    assertThatThrownBy(() -> KeyFile.read(file)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("not a PEM");
  }

  @Test
  void readBadBase64() throws Exception {
    Path file = dir.resolve("bad64.key");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n!!!!\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> KeyFile.read(file)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("base64");
  }

  @Test
  void readNotPkcs8() throws Exception {
    Path file = dir.resolve("junk.key");
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\nAAECAwQF\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> KeyFile.read(file)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("Ed25519 PKCS#8");
  }

  @Test
  void readNonEd25519Key() throws Exception {
    Path file = dir.resolve("ec.key");
    byte[] der = KeyPairGenerator.getInstance("EC").generateKeyPair().getPrivate().getEncoded();
    Files.writeString(file, "-----BEGIN PRIVATE KEY-----\n"
        + Base64.getMimeEncoder().encodeToString(der) + "\n-----END PRIVATE KEY-----\n");
    assertThatThrownBy(() -> KeyFile.read(file)).isInstanceOf(KeyFileException.class)
        .hasMessageContaining(file.toString()).hasMessageContaining("EC key, not Ed25519");
  }

  @Test
  void readsOpensslV2Pkcs8WithPublicKey() throws Exception {
    // A PKCS#8 v2 (OneAsymmetricKey) Ed25519 key with the public key attached, as some tools
    // write it: RFC 8410 section 10.3.
    String pem = "-----BEGIN PRIVATE KEY-----\n"
        + "MHICAQEwBQYDK2VwBCIEINTuctv5E1hK1bbY8fdp+K06/nwoy/HU++CXqI9EdVhC\n"
        + "oB8wHQYKKoZIhvcNAQkJFDEPDA1DdXJkbGUgQ2hhaXJzgSEAGb9ECWmEzf6FQbrB\n"
        + "Z9w7lshQhqowtrbLDFw4rXAxZuE=\n"
        + "-----END PRIVATE KEY-----\n";
    Path file = dir.resolve("v2.key");
    Files.write(file, pem.getBytes(StandardCharsets.US_ASCII));
    NetworkKey key = KeyFile.read(file);
    assertThat(key.peerId().toHex())
        .isEqualTo("19bf44096984cdfe8541bac167dc3b96c85086aa30b6b6cb0c5c38ad703166e1");
  }
}
