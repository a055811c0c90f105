package dev.roster.event;

import dev.roster.error.RosterException;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;

/**
 * Webhook URLs: http or https with a host; unless private addresses are allowed, a host that resolves to a loopback,
 * private, link-local, unique-local, shared (100.64/10) or unspecified address is refused, so that a token cannot
 * make the server call into its own network. Checked at create and update and again before each delivery (a name
 * may resolve elsewhere later).
 */
final class AddressGuard {
    private final boolean allowPrivate;

    AddressGuard(boolean allowPrivate) {
        this.allowPrivate = allowPrivate;
    }

    /** The URL, checked; a 400 naming what is wrong otherwise. */
    URI check(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (java.net.URISyntaxException e) {
            throw RosterException.invalid("url", "an http or https URL", url);
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase();
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getHost().isEmpty()) {
            throw RosterException.invalid("url", "an http or https URL with a host", url);
        }
        if (uri.getUserInfo() != null) {
            throw RosterException.invalid("url", "a URL without user name or password", url);
        }
        if (!allowPrivate) {
            String refused = refusedAddress(uri.getHost());
            if (refused != null) {
                throw RosterException.badRequest("url: " + url + " resolves to " + refused
                        + ", a loopback or private address; the server refuses those unless started with "
                        + "--webhook-allow-private");
            }
        }
        return uri;
    }

    /** The first address of the host that may not be called, or null when all may. */
    static String refusedAddress(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(bare);
        } catch (UnknownHostException e) {
            throw RosterException.badRequest("url: the host '" + host + "' does not resolve");
        }
        for (InetAddress a : addresses) {
            if (isPrivate(a)) {
                return a.getHostAddress();
            }
        }
        return null;
    }

    static boolean isPrivate(InetAddress a) {
        if (a.isLoopbackAddress() || a.isSiteLocalAddress() || a.isLinkLocalAddress() || a.isAnyLocalAddress()
                || a.isMulticastAddress()) {
            return true;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc; // unique local fc00::/7
        }
        int first = b[0] & 0xff;
        int second = b[1] & 0xff;
        return first == 0 || (first == 100 && second >= 64 && second < 128) || (first == 198 && (second == 18 || second == 19));
    }
}
