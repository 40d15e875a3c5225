/**
 * Cross-verticle state: {@link io.weft.state.LockedState} holds a structure behind a read-write
 * lock, with lambda-scoped {@code read}/{@code write}; nesting two such locks on one thread
 * throws. Instances live in SharedData local maps named {@code <ns>.state}, one per node.
 */
package io.weft.state;
