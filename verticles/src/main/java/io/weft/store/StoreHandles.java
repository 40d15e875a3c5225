package io.weft.store;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.rocksdb.ColumnFamilyDescriptor;
import org.rocksdb.ColumnFamilyHandle;
import org.rocksdb.ColumnFamilyOptions;
import org.rocksdb.DBOptions;
import org.rocksdb.RocksDB;
import org.rocksdb.RocksDBException;
import org.rocksdb.WriteOptions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The native RocksDB objects behind a {@link ChainStore}: the database, its column family handles
 * and the options they were opened with. Closed children first: handles, then the database, then
 * the options. Not thread-safe; {@link ChainStore} guards it.
 */
final class StoreHandles implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(StoreHandles.class);

  static final String COMMITS = "commits";
  static final String COMMIT_INDEX = "commit_index";
  static final String BLOCKS = "blocks";
  static final String CERTIFIERS = "certifiers";
  static final String COMMITTEES = "committees";
  static final String META = "meta";
  /** Peer reputation records (peer id → encoded record); created on first open of an older store. */
  static final String PEERS = "peers";
  private static final List<String> FAMILIES =
      List.of(COMMITS, COMMIT_INDEX, BLOCKS, CERTIFIERS, COMMITTEES, META, PEERS);

  /** RocksDB names its lock file LOCK; both the cross- and in-process lock errors mention it. */
  private static final Pattern LOCK_ERROR = Pattern.compile("(?<![A-Za-z])LOCK(?![A-Za-z])");

  private static volatile boolean nativeLoaded;

  final RocksDB db;
  final ColumnFamilyHandle commits;
  final ColumnFamilyHandle commitIndex;
  final ColumnFamilyHandle blocks;
  final ColumnFamilyHandle certifiers;
  final ColumnFamilyHandle committees;
  final ColumnFamilyHandle meta;
  final ColumnFamilyHandle peers;
  /** Writes that return only once the WAL is synced to disk. */
  final WriteOptions syncWrite;

  private final List<ColumnFamilyHandle> handles;
  private final DBOptions dbOptions;
  private final ColumnFamilyOptions cfOptions;

  private StoreHandles(RocksDB db, List<ColumnFamilyHandle> handles, DBOptions dbOptions,
      ColumnFamilyOptions cfOptions, WriteOptions syncWrite) {
    this.db = db;
    this.handles = handles;
    this.dbOptions = dbOptions;
    this.cfOptions = cfOptions;
    this.syncWrite = syncWrite;
    // handles.get(0) is the default family, then FAMILIES in order.
    this.commits = handles.get(1);
    this.commitIndex = handles.get(2);
    this.blocks = handles.get(3);
    this.certifiers = handles.get(4);
    this.committees = handles.get(5);
    this.meta = handles.get(6);
    this.peers = handles.get(7);
  }

  /** Opens (creating if missing) the database and every column family in {@code dir}. */
  static StoreHandles open(Path dir) throws StoreException {
    loadNative(dir);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new StoreException("cannot create store directory " + dir + ": " + e, e);
    }
    DBOptions dbOptions = new DBOptions()
        .setCreateIfMissing(true)
        .setCreateMissingColumnFamilies(true);
    ColumnFamilyOptions cfOptions = new ColumnFamilyOptions();
    List<ColumnFamilyDescriptor> descriptors = new ArrayList<>();
    descriptors.add(new ColumnFamilyDescriptor(RocksDB.DEFAULT_COLUMN_FAMILY, cfOptions));
    for (String name : FAMILIES) {
      descriptors.add(new ColumnFamilyDescriptor(name.getBytes(StandardCharsets.UTF_8), cfOptions));
    }
    List<ColumnFamilyHandle> handles = new ArrayList<>();
    try {
      RocksDB db = RocksDB.open(dbOptions, dir.toString(), descriptors, handles);
      return new StoreHandles(db, handles, dbOptions, cfOptions, new WriteOptions().setSync(true));
    } catch (RocksDBException e) {
      handles.forEach(ColumnFamilyHandle::close);
      dbOptions.close();
      cfOptions.close();
      throw openFailure(dir, e);
    }
  }

  private static StoreException openFailure(Path dir, RocksDBException e) {
    String message = String.valueOf(e.getMessage());
    if (LOCK_ERROR.matcher(message).find()) {
      return new StoreException("store at " + dir + " is locked by another process (" + message + ")", e);
    }
    return new StoreException("cannot open store at " + dir + ": " + message, e);
  }

  private static void loadNative(Path dir) throws StoreException {
    if (nativeLoaded) {
      return;
    }
    synchronized (StoreHandles.class) {
      if (nativeLoaded) {
        return;
      }
      try {
        RocksDB.loadLibrary();
        nativeLoaded = true;
      } catch (RuntimeException | UnsatisfiedLinkError e) {
        throw new StoreException("cannot open store at " + dir + ": RocksDB native library: " + e, e);
      }
    }
  }

  /** Flushes nothing extra (the WAL is synced per write); closes handles, db, then options. */
  @Override
  public void close() {
    handles.forEach(ColumnFamilyHandle::close);
    try {
      db.closeE();
    } catch (RocksDBException e) {
      LOG.warn("closing RocksDB: {}", e.getMessage());
    }
    syncWrite.close();
    dbOptions.close();
    cfOptions.close();
  }
}
