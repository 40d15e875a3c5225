package io.weft.sim;

/** Where a scenario reports how far it is (the launcher draws a progress bar from it). */
@FunctionalInterface
public interface SimProgress {

  SimProgress NONE = (label, done, total) -> { };

  void update(String label, long done, long total);
}
