/**
 * Bounded event-bus mailboxes: a {@link io.weft.bus.MailboxGate} per address counts messages in
 * flight; senders in the same Vert.x instance are refused at once when it is full
 * ({@link io.weft.bus.MailboxFullException}, counted as a drop), so no queue grows without bound.
 * Messages from other JVMs are admitted by the consumer against the same gate.
 */
package io.weft.bus;
