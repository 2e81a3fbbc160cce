package io.microagent.collect.system;

/**
 * An interface's kind from what sysfs states: a {@code wireless/} or {@code phy80211} directory, the
 * {@code DEVTYPE} of its {@code uevent}, and its ARPHRD {@code type}. Satellite links have no kernel marker of
 * their own: they come out as what their modem presents.
 */
public final class NicType {
    static final int ARPHRD_ETHER = 1;
    static final int ARPHRD_PPP = 512;
    static final int ARPHRD_RAWIP = 519;
    static final int ARPHRD_LOOPBACK = 772;
    static final int ARPHRD_IEEE80211 = 801;

    private NicType() {
    }

    public static String of(int arphrd, String devtype, boolean wireless) {
        if (wireless || "wlan".equals(devtype) || arphrd == ARPHRD_IEEE80211) {
            return "WIFI";
        }
        if ("wwan".equals(devtype) || arphrd == ARPHRD_RAWIP) {
            return "MOBILE";
        }
        if (arphrd == ARPHRD_ETHER) {
            return "ETH";
        }
        return "UNKNOWN";
    }
}
