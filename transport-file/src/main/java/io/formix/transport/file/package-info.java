/**
 * The file channel backend: {@link io.formix.transport.file.FileTransport} moves each message as a
 * {@code .msg}/{@code .ready} file pair in one folder per direction (wire format v1,
 * {@code docs/wire-format.md}).
 */
package io.formix.transport.file;
