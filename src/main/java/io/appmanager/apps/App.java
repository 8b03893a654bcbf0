package io.appmanager.apps;

import io.appmanager.platform.ApiException;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * A registered app as the rest of the service sees it: never a secret in toString (credentials are
 * reached only through {@link AppDirectory}, and a webhook URL with credentials in it is refused).
 *
 * @param packageName its unique name, {@link #PACKAGE_NAME}
 * @param webhookUrl  where its session_request and stop_request webhooks go (absolute http or https)
 * @param policy      its effective lifecycle policy: the global defaults merged with its overrides
 */
public record App(String packageName, URI webhookUrl, LifecyclePolicy policy) {

    /** Lower case so a name has one spelling; dots and dashes for reverse-DNS names like {@code com.example.notes}. */
    public static final Pattern PACKAGE_NAME = Pattern.compile("[a-z0-9._-]{3,128}");

    public static boolean isValidPackageName(String name) {
        return name != null && PACKAGE_NAME.matcher(name).matches();
    }

    /** A {@code ?package=} filter of an admin read: absent (null) means every app; a malformed name is a 400 naming it. */
    public static String packageFilter(String packageName) {
        if (packageName != null && !isValidPackageName(packageName)) {
            throw ApiException.invalidField("package", "package must be a package name");
        }
        return packageName;
    }
}
