/**
 * The small seams between protocol decisions and the world: time ({@link io.weft.runtime.Clock}),
 * randomness ({@link java.util.Random}, seeded in simulation) and each feature's transport
 * interface. Decision classes take these in their constructors and never touch Vert.x timers,
 * sockets or {@code System.currentTimeMillis()} directly.
 */
package io.weft.runtime;
