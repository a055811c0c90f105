package dev.roster.profile;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Strict parser of IP address literals. Hand-written because {@code InetAddress.getByName} would resolve
 * anything that is not a literal through DNS, which a validator must never do.
 */
final class IpText {
    // No leading zeros: "010.0.0.1" is octal to some parsers and decimal to others, so it is refused.
    private static final Pattern V4 =
            Pattern.compile("(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}");
    private static final Pattern HEX_GROUP = Pattern.compile("[0-9A-Fa-f]{1,4}");

    private IpText() {}

    /** Canonical text of an IPv4 or IPv6 literal, or null when {@code text} is not one. */
    static String canonical(String text) {
        if (V4.matcher(text).matches()) {
            return text;
        }
        int[] groups = text.indexOf(':') >= 0 ? v6Groups(text) : null;
        return groups == null ? null : formatV6(groups);
    }

    /** The eight 16-bit groups of an IPv6 literal (with "::" and a trailing dotted IPv4), or null. */
    private static int[] v6Groups(String text) {
        int[] groups = new int[8];
        String head = text;
        String tail = "";
        int gap = text.indexOf("::");
        if (gap >= 0) {
            if (text.indexOf("::", gap + 1) >= 0) {
                return null; // "::" may appear once
            }
            head = text.substring(0, gap);
            tail = text.substring(gap + 2);
        }
        // A dotted IPv4 may only end the whole address: the tail after "::", or all of it without "::".
        int[] front = parts(head, gap < 0);
        int[] back = parts(tail, true);
        if (front == null || back == null) {
            return null;
        }
        int count = front.length + back.length;
        if (gap < 0 ? count != 8 : count > 7) {
            return null; // "::" stands for at least one zero group
        }
        System.arraycopy(front, 0, groups, 0, front.length);
        System.arraycopy(back, 0, groups, 8 - back.length, back.length);
        return groups;
    }

    /** Groups of a colon-separated run; the last element may be dotted IPv4 when {@code mayEndInV4}. */
    private static int[] parts(String run, boolean mayEndInV4) {
        if (run.isEmpty()) {
            return new int[0];
        }
        String[] pieces = run.split(":", -1);
        String last = pieces[pieces.length - 1];
        boolean v4 = mayEndInV4 && last.indexOf('.') >= 0;
        int[] groups = new int[pieces.length + (v4 ? 1 : 0)];
        for (int i = 0; i < pieces.length - (v4 ? 1 : 0); i++) {
            if (!HEX_GROUP.matcher(pieces[i]).matches()) {
                return null;
            }
            groups[i] = Integer.parseInt(pieces[i], 16);
        }
        if (v4) {
            if (!V4.matcher(last).matches()) {
                return null;
            }
            String[] octets = last.split("\\.");
            groups[pieces.length - 1] = Integer.parseInt(octets[0]) << 8 | Integer.parseInt(octets[1]);
            groups[pieces.length] = Integer.parseInt(octets[2]) << 8 | Integer.parseInt(octets[3]);
        }
        return groups;
    }

    /** RFC 5952: lower case, no leading zeros, the longest run (2+) of zero groups as "::", the first on ties. */
    private static String formatV6(int[] g) {
        if (isV4Mapped(g)) {
            return "::ffff:" + (g[6] >> 8) + "." + (g[6] & 0xff) + "." + (g[7] >> 8) + "." + (g[7] & 0xff);
        }
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < 8; ) {
            int j = i;
            while (j < 8 && g[j] == 0) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j == i ? i + 1 : j;
        }
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < 8; i++) {
            if (i == bestStart) {
                out.append("::");
                i += bestLength - 1;
                continue;
            }
            if (out.length() > 0 && out.charAt(out.length() - 1) != ':') {
                out.append(':');
            }
            out.append(Integer.toHexString(g[i]).toLowerCase(Locale.ROOT));
        }
        return out.toString();
    }

    private static boolean isV4Mapped(int[] g) {
        return g[0] == 0 && g[1] == 0 && g[2] == 0 && g[3] == 0 && g[4] == 0 && g[5] == 0xffff;
    }
}
