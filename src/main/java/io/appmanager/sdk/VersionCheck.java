package io.appmanager.sdk;

import java.util.ArrayList;
import java.util.List;

/** Compares what READY announces with what this SDK is. Pure. */
final class VersionCheck {

    private VersionCheck() {
    }

    /**
     * Notices for one READY, in the order API_VERSION, then UPDATE_REQUIRED or UPDATE_AVAILABLE
     * (never both: a required update implies an available one).
     *
     * @param serverApiVersion READY data.api_version (null when missing, which counts as a mismatch)
     * @param minSdkVersion    READY data.sdk.min_version, may be null
     * @param latestSdkVersion READY data.sdk.latest_version, may be null
     * @param clientApiVersion API version this SDK speaks
     * @param sdkVersion       this SDK's version
     */
    static List<VersionNotice> evaluate(String serverApiVersion, String minSdkVersion, String latestSdkVersion,
                                        String clientApiVersion, String sdkVersion) {
        List<VersionNotice> notices = new ArrayList<>(2);
        if (!clientApiVersion.equals(serverApiVersion)) {
            notices.add(new VersionNotice(VersionNotice.Kind.API_VERSION, clientApiVersion, serverApiVersion,
                    "server speaks gateway API " + serverApiVersion + ", this SDK speaks " + clientApiVersion));
        }
        if (SemVer.isNewer(minSdkVersion, sdkVersion)) {
            notices.add(new VersionNotice(VersionNotice.Kind.UPDATE_REQUIRED, sdkVersion, minSdkVersion,
                    "server requires SDK " + minSdkVersion + " or newer, this is " + sdkVersion));
        } else if (SemVer.isNewer(latestSdkVersion, sdkVersion)) {
            notices.add(new VersionNotice(VersionNotice.Kind.UPDATE_AVAILABLE, sdkVersion, latestSdkVersion,
                    "SDK " + latestSdkVersion + " is available, this is " + sdkVersion));
        }
        return notices;
    }
}
