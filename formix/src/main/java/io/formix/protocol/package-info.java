/**
 * The Formix wire protocol: JSON envelopes {@code {v, type, id, from, to, computation, body}},
 * their typed bodies with validation, and the response-schema subset.
 */
package io.formix.protocol;
