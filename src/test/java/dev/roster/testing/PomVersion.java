package dev.roster.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The version the pom declares (the project's own, after its artifactId), for tests of what the build reports. */
public final class PomVersion {
    private PomVersion() {
    }

    public static String read() {
        try {
            String pom = Files.readString(Path.of("pom.xml"));
            Matcher m = Pattern.compile("<artifactId>roster</artifactId>\\s*<version>([^<]+)</version>").matcher(pom);
            if (!m.find()) {
                throw new IllegalStateException("no project version in pom.xml");
            }
            return m.group(1).strip();
        } catch (IOException e) {
            throw new IllegalStateException("cannot read pom.xml: " + e.getMessage(), e);
        }
    }
}
