package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.util.Optional;

/**
 * Names of wire format v1: channel folders {@code <from>_to_<to>} and message files
 * {@code <n %08d>.msg} / {@code <n %08d>.ready}, plus the hidden bookkeeping names of this
 * implementation. Names that are not exactly canonical are never parsed as messages.
 */
final class ChannelNames {

    static final String MSG = ".msg";
    static final String READY = ".ready";
    /** Separator inside a channel folder name; party ids never contain {@code _}. */
    static final String TO = "_to_";
    /**
     * Receiver's cursor as earlier versions kept it, in the channel folder; now only read once
     * (if it is a regular file) to migrate it to the state folder, then deleted.
     */
    static final String CURSOR_FILE = ".formix-recv-cursor";
    /** Sender's next number as earlier versions kept it, in the channel folder; migrated like {@link #CURSOR_FILE}. */
    static final String NEXT_FILE = ".formix-send-next";
    /** Prefix of the sender's temp files: {@code .tmp-<n %08d>.msg}. */
    static final String TEMP_PREFIX = ".tmp-";

    /** Kind of a name found in a channel folder. */
    enum Kind { MSG, READY, OWN, IGNORED }

    private ChannelNames() {
    }

    /** {@code <from>_to_<to>}. */
    static String channel(PartyId from, PartyId to) {
        return from.value() + TO + to.value();
    }

    /** The sender of channel folder {@code name} if it is {@code <x>_to_<to>} with x a valid id. */
    static Optional<PartyId> senderOf(String name, PartyId to) {
        String suffix = TO + to.value();
        if (!name.endsWith(suffix) || name.length() == suffix.length()) {
            return Optional.empty();
        }
        String from = name.substring(0, name.length() - suffix.length());
        return PartyId.isValid(from) && !from.equals(to.value()) ? Optional.of(PartyId.of(from)) : Optional.empty();
    }

    /** The receiver of channel folder {@code name} if it is {@code <from>_to_<x>} with x a valid id. */
    static Optional<PartyId> receiverOf(String name, PartyId from) {
        String prefix = from.value() + TO;
        if (!name.startsWith(prefix) || name.length() == prefix.length()) {
            return Optional.empty();
        }
        String to = name.substring(prefix.length());
        return PartyId.isValid(to) && !to.equals(from.value()) ? Optional.of(PartyId.of(to)) : Optional.empty();
    }

    /** {@code %08d} of {@code n}; more digits past 99 999 999. */
    static String number(long n) {
        String s = Long.toString(n);
        return s.length() >= 8 ? s : "00000000".substring(s.length()) + s;
    }

    static String msg(long n) {
        return number(n) + MSG;
    }

    static String ready(long n) {
        return number(n) + READY;
    }

    static String temp(long n) {
        return TEMP_PREFIX + number(n) + MSG;
    }

    /** Whether {@code name} is one of this implementation's own hidden files in a channel folder. */
    static boolean isOwn(String name) {
        return name.equals(CURSOR_FILE) || name.equals(NEXT_FILE) || isTemp(name);
    }

    static boolean isTemp(String name) {
        return name.startsWith(TEMP_PREFIX) && name.endsWith(MSG);
    }

    static Kind kind(String name) {
        if (isOwn(name)) {
            return Kind.OWN;
        }
        if (name.endsWith(MSG) && sequenceOf(name, MSG) >= 0) {
            return Kind.MSG;
        }
        if (name.endsWith(READY) && sequenceOf(name, READY) >= 0) {
            return Kind.READY;
        }
        return Kind.IGNORED;
    }

    /**
     * The sequence number of a canonical message file name with suffix {@code ext}, or -1 if the
     * name is not exactly {@code number(n) + ext} (other widths, signs, case, extra text).
     */
    static long sequenceOf(String name, String ext) {
        if (!name.endsWith(ext)) {
            return -1;
        }
        int digits = name.length() - ext.length();
        if (digits < 8 || digits > 18) {
            return -1;
        }
        long n = 0;
        for (int i = 0; i < digits; i++) {
            char c = name.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n * 10 + (c - '0');
        }
        return name.regionMatches(0, number(n), 0, digits) && number(n).length() == digits ? n : -1;
    }

    /** The sequence of a canonical {@code .msg} or {@code .ready} name, else -1. */
    static long sequenceOf(String name) {
        return switch (kind(name)) {
            case MSG -> sequenceOf(name, MSG);
            case READY -> sequenceOf(name, READY);
            default -> -1;
        };
    }
}
