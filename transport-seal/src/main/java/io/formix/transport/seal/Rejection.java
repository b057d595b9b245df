package io.formix.transport.seal;

import io.formix.transport.PartyId;

/**
 * One refused incoming message, as a {@link RejectionListener} sees it: the channel it came on
 * ({@code from} to {@code to}), its transport sequence number, its size and the step it failed,
 * with a one-line reason. Never its content.
 */
public record Rejection(PartyId from, PartyId to, long sequence, int size, Step step, String reason) {}
