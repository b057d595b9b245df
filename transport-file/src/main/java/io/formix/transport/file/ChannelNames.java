package io.formix.transport.file;

import io.formix.transport.PartyId;
import java.util.Optional;

/**
 * Names of wire format v1: channel folders {@code <from>_to_<to>} and message files
 * {@code <n %08d>.msg} / {@code <n %08d>.ready}, plus the hidden bookkeeping names of this
 * implementation. Names that are not exactly canonical are never parsed as messages.
 * {@link #channel} is public: whoever names a channel folder (to prepare it, or to say which one
 * in a message) asks here instead of building the name itself.
 */
public final class ChannelNames {

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
    enum Kind {
        MSG,
        READY,
        OWN,
        IGNORED
    }

    private ChannelNames() {}

    /** The name of the channel folder from {@code from} to {@code to}: {@code <from>_to_<to>}. */
    public static String channel(PartyId from, PartyId to) {
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

    /** Syncthing's infix of a conflict copy: {@code <base>.sync-conflict-<yyyyMMdd>-<HHmmss>-<device>.<ext>}. */
    static final String SYNCTHING_CONFLICT = ".sync-conflict-";
    /** SyftBox's suffix of a conflict copy: {@code <name>.conflict.<timestamp>}. */
    static final String SYFTBOX_CONFLICT = MSG + ".conflict.";

    /**
     * The number n if {@code name} is a sync engine's conflict copy of {@code n.msg}, else -1:
     * Syncthing's {@code <n>.sync-conflict-<8 digits>-<6 digits>-<7 of [A-Z0-9]>.msg} or SyftBox's
     * {@code <n>.msg.conflict.<1..64 of [A-Za-z0-9._:-]>}, with {@code <n>} canonical. Such names
     * stay {@link Kind#IGNORED} (counted, never deleted); the receiver only looks at them as
     * candidates for its cursor's number (docs/wire-format.md, "Rejected messages").
     */
    static long conflictCopyOf(String name) {
        int s = name.indexOf(SYNCTHING_CONFLICT);
        if (s > 0 && name.endsWith(MSG)) {
            String tag = name.substring(s + SYNCTHING_CONFLICT.length(), name.length() - MSG.length());
            if (tag.length() == 23
                    && tag.charAt(8) == '-'
                    && tag.charAt(15) == '-'
                    && all(tag, 0, 8, "0123456789")
                    && all(tag, 9, 15, "0123456789")
                    && all(tag, 16, 23, "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")) {
                return sequenceOf(name.substring(0, s) + MSG, MSG);
            }
            return -1;
        }
        int f = name.indexOf(SYFTBOX_CONFLICT);
        if (f > 0) {
            String ts = name.substring(f + SYFTBOX_CONFLICT.length());
            if (!ts.isEmpty()
                    && ts.length() <= 64
                    && all(ts, 0, ts.length(), "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")) {
                return sequenceOf(name.substring(0, f) + MSG, MSG);
            }
        }
        return -1;
    }

    /**
     * The file names of one {@link ChannelLayout}: message, marker and temp names, and how a name
     * found in a channel folder is classified. {@link #FLAT} is wire format v1 ({@code n.msg},
     * {@code n.ready}, {@code .tmp-n.msg}); {@link #SYFTBOX} uses names SyftBox syncs at once
     * ({@code n.msg.request}, {@code n.ready.request}) and a temp name it ignores
     * ({@code .tmp-n.msg.tmp}); its permission file {@code syft.pub.yaml} is the writer's own.
     */
    record Names(String msgExt, String readyExt, String tempExt, String ownFile) {
        static final Names FLAT = new Names(MSG, READY, MSG, null);
        static final Names SYFTBOX =
                new Names(".msg.request", ".ready.request", ".msg.tmp", ChannelLayout.PERMISSION_FILE);

        String msg(long n) {
            return number(n) + msgExt;
        }

        String ready(long n) {
            return number(n) + readyExt;
        }

        String temp(long n) {
            return TEMP_PREFIX + number(n) + tempExt;
        }

        boolean isTemp(String name) {
            return name.startsWith(TEMP_PREFIX) && name.endsWith(tempExt);
        }

        boolean isOwn(String name) {
            return name.equals(CURSOR_FILE) || name.equals(NEXT_FILE) || isTemp(name) || name.equals(ownFile);
        }

        Kind kind(String name) {
            if (isOwn(name)) {
                return Kind.OWN;
            }
            if (ChannelNames.sequenceOf(name, msgExt) >= 0) {
                return Kind.MSG;
            }
            if (ChannelNames.sequenceOf(name, readyExt) >= 0) {
                return Kind.READY;
            }
            return Kind.IGNORED;
        }

        /** The sequence of a canonical message or marker name of this layout, else -1. */
        long sequenceOf(String name) {
            return switch (kind(name)) {
                case MSG -> ChannelNames.sequenceOf(name, msgExt);
                case READY -> ChannelNames.sequenceOf(name, readyExt);
                default -> -1;
            };
        }

        /** {@link ChannelNames#conflictCopyOf} for this layout's message names. */
        long conflictCopyOf(String name) {
            if (this == FLAT || msgExt.equals(MSG)) {
                return ChannelNames.conflictCopyOf(name);
            }
            // SyftBox's current form puts the marker before the last extension, with an optional
            // rotation timestamp: n.msg.conflict.request, n.msg.conflict.<14 digits>.request.
            String stem = msgExt.substring(0, msgExt.lastIndexOf('.'));
            String last = msgExt.substring(msgExt.lastIndexOf('.'));
            int c = name.indexOf(stem + ".conflict");
            if (c > 0 && name.endsWith(last)) {
                String mid = name.substring(c + stem.length() + ".conflict".length(), name.length() - last.length());
                if (mid.isEmpty() || mid.length() == 15 && mid.charAt(0) == '.' && all(mid, 1, 15, "0123456789")) {
                    return ChannelNames.sequenceOf(name.substring(0, c) + msgExt, msgExt);
                }
            }
            int f = name.indexOf(msgExt + ".conflict.");
            if (f > 0) {
                String ts = name.substring(f + msgExt.length() + ".conflict.".length());
                if (!ts.isEmpty()
                        && ts.length() <= 64
                        && all(
                                ts,
                                0,
                                ts.length(),
                                "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._:-")) {
                    return ChannelNames.sequenceOf(name.substring(0, f) + msgExt, msgExt);
                }
            }
            return -1;
        }

        /** Whether {@code name} is a sync engine's rejected or conflict copy ({@code *.rejected.*}, {@code *.conflict.*}). */
        static boolean isSyncCopy(String name) {
            return name.contains(".rejected.") || name.contains(".conflict.") || name.contains(SYNCTHING_CONFLICT);
        }
    }

    private static boolean all(String s, int from, int to, String allowed) {
        for (int i = from; i < to; i++) {
            if (allowed.indexOf(s.charAt(i)) < 0) {
                return false;
            }
        }
        return true;
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
