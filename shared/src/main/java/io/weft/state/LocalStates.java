package io.weft.state;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Finds or atomically creates the single instance of a shared object in the Vert.x local map
 * named {@code namespace + ".state"}, so that all verticles of one Vert.x instance and one
 * namespace share it.
 */
public final class LocalStates {

  private LocalStates() {
  }

  /** The name of the local map that holds the shared state of {@code namespace}. */
  public static String mapName(String namespace) {
    return Objects.requireNonNull(namespace, "namespace") + ".state";
  }

  /**
   * The object stored under {@code key} in the namespace's state map, created with
   * {@code factory} when absent (atomically: concurrent callers get the same instance).
   *
   * @throws IllegalStateException when the key holds an object of another type
   */
  public static <T extends Shareable> T getOrCreate(Vertx vertx, String namespace, String key,
      Class<T> type, Supplier<? extends T> factory) {
    Objects.requireNonNull(vertx, "vertx");
    LocalMap<String, Shareable> map = vertx.sharedData().getLocalMap(mapName(namespace));
    Shareable found = map.computeIfAbsent(key, k -> factory.get());
    if (!type.isInstance(found)) {
      throw new IllegalStateException("local map " + mapName(namespace) + " holds a "
          + found.getClass().getName() + " under " + key + ", not a " + type.getName());
    }
    return type.cast(found);
  }
}
