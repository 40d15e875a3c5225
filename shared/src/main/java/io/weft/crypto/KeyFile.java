package io.weft.crypto;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.EnumSet;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stores a {@link NetworkKey} as an unencrypted PKCS#8 PEM file ({@code -----BEGIN PRIVATE
 * KEY-----}), the format {@code openssl genpkey -algorithm ed25519} writes. New files are
 * created owner-only ({@code rw-------}) from the start, never widened afterwards.
 */
public final class KeyFile {

  private static final Logger LOG = LoggerFactory.getLogger(KeyFile.class);

  private static final String BEGIN = "-----BEGIN PRIVATE KEY-----";
  private static final String END = "-----END PRIVATE KEY-----";
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rw-------");
  private static final int MAX_FILE_BYTES = 64 * 1024;

  private KeyFile() {
  }

  /**
   * Writes {@code key} to a new file, creating missing parent directories.
   *
   * @throws KeyFileException if the file already exists or cannot be written
   */
  public static void write(Path file, NetworkKey key) throws KeyFileException {
    byte[] pem = toPem(key.toPkcs8Der());
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
    } catch (IOException e) {
      throw new KeyFileException(file, "cannot create the directory of key file " + file + ": "
          + e, e);
    }
    SeekableByteChannel channel;
    try {
      channel = create(file);
    } catch (FileAlreadyExistsException e) {
      throw new KeyFileException(file, "key file " + file + " already exists; not overwriting it", e);
    } catch (IOException e) {
      throw new KeyFileException(file, "cannot create key file " + file + ": " + e, e);
    }
    try (channel) {
      ByteBuffer buffer = ByteBuffer.wrap(pem);
      while (buffer.hasRemaining()) {
        channel.write(buffer);
      }
    } catch (IOException e) {
      deleteQuietly(file);
      throw new KeyFileException(file, "cannot write key file " + file + ": " + e, e);
    }
    LOG.debug("wrote network key {} to {}", key.peerId().shortId(), file);
  }

  /**
   * Reads the key stored in {@code file}.
   *
   * @throws KeyFileException if the file is missing, unreadable, not PEM, or not an Ed25519
   *     PKCS#8 private key
   */
  public static NetworkKey read(Path file) throws KeyFileException {
    byte[] bytes;
    try {
      if (Files.size(file) > MAX_FILE_BYTES) {
        throw new KeyFileException(file, "key file " + file + " is larger than "
            + MAX_FILE_BYTES + " bytes; not a key file");
      }
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new KeyFileException(file, "key file " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new KeyFileException(file, "key file " + file + " is not readable (permission denied)",
          e);
    } catch (IOException e) {
      throw new KeyFileException(file, "key file " + file + " is not readable: " + e, e);
    }
    byte[] der = fromPem(file, new String(bytes, StandardCharsets.US_ASCII));
    NetworkKey key;
    try {
      key = Ed25519Pkcs8.parse(der);
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(file, "key file " + file
          + " does not hold an Ed25519 PKCS#8 private key: it holds " + e.getMessage(), e);
    }
    warnIfShared(file);
    return key;
  }

  /**
   * Reads the key in {@code file}, or generates a new one and writes it there if the file does
   * not exist yet.
   *
   * @throws KeyFileException if an existing file cannot be read, or a new one cannot be written
   */
  public static NetworkKey loadOrCreate(Path file) throws KeyFileException {
    if (Files.exists(file)) {
      return read(file);
    }
    NetworkKey key = NetworkKey.generate();
    try {
      write(file, key);
    } catch (KeyFileException e) {
      if (e.getCause() instanceof FileAlreadyExistsException) {
        return read(file); // someone else created it meanwhile
      }
      throw e;
    }
    LOG.info("created a new network key, peer {}, in {}", key.peerId().shortId(), file);
    return key;
  }

  private static SeekableByteChannel create(Path file) throws IOException {
    Set<StandardOpenOption> options = EnumSet.of(StandardOpenOption.CREATE_NEW,
        StandardOpenOption.WRITE, StandardOpenOption.SYNC);
    FileAttribute<Set<PosixFilePermission>> ownerOnly =
        PosixFilePermissions.asFileAttribute(OWNER_ONLY);
    try {
      return Files.newByteChannel(file, options, ownerOnly);
    } catch (UnsupportedOperationException e) {
      LOG.warn("file system of {} has no POSIX permissions; protect the key file yourself", file);
      return Files.newByteChannel(file, options);
    }
  }

  private static byte[] toPem(byte[] der) {
    String body = Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der);
    return (BEGIN + "\n" + body + "\n" + END + "\n").getBytes(StandardCharsets.US_ASCII);
  }

  private static byte[] fromPem(Path file, String text) throws KeyFileException {
    int begin = text.indexOf(BEGIN);
    int end = begin < 0 ? -1 : text.indexOf(END, begin);
    if (begin < 0 || end < 0) {
      String found = text.contains("-----BEGIN ") ? " (it holds another PEM type)" : "";
      throw new KeyFileException(file, "key file " + file + " is not a PEM file with a "
          + BEGIN + " block" + found);
    }
    String body = text.substring(begin + BEGIN.length(), end).replaceAll("\\s", "");
    try {
      byte[] der = Base64.getDecoder().decode(body);
      if (der.length == 0) {
        throw new IllegalArgumentException("empty");
      }
      return der;
    } catch (IllegalArgumentException e) {
      throw new KeyFileException(file, "key file " + file + " is not valid PEM: bad base64 ("
          + e.getMessage() + ")", e);
    }
  }

  private static void warnIfShared(Path file) {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(file);
      if (!OWNER_ONLY.containsAll(perms)) {
        LOG.warn("key file {} is accessible by others ({}); chmod 600 it",
            file, PosixFilePermissions.toString(perms));
      }
    } catch (IOException | UnsupportedOperationException e) {
      LOG.debug("cannot check the permissions of key file {}: {}", file, e.toString());
    }
  }

  private static void deleteQuietly(Path file) {
    try {
      Files.deleteIfExists(file);
    } catch (IOException e) {
      LOG.warn("cannot remove partly written key file {}: {}", file, e.toString());
    }
  }
}
