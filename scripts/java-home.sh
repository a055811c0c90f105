# Sourced by the scripts of this project: sets JAVA_HOME to a JDK 21 or newer.
# Uses $JAVA_HOME when it is one; otherwise the newest JDK found in the usual places. Never the default `java` blindly.

roster_java_version() {
    # prints the feature version of the JDK at $1 (e.g. 25), or nothing
    [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
    "$1/bin/java" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n 1
}

roster_find_java() {
    local v
    if [ -n "${JAVA_HOME:-}" ]; then
        v=$(roster_java_version "$JAVA_HOME")
        if [ -n "$v" ] && [ "$v" -ge 21 ]; then
            return 0
        fi
    fi
    local best="" best_v=0 candidate
    for candidate in /usr/lib/jvm/* /opt/java/* /opt/jdk* /Library/Java/JavaVirtualMachines/*/Contents/Home \
                     "$(dirname "$(dirname "$(readlink -f "$(command -v javac 2>/dev/null || echo /nonexistent)")")")"; do
        [ -d "$candidate" ] || continue
        v=$(roster_java_version "$candidate")
        if [ -n "$v" ] && [ "$v" -ge 21 ] && [ "$v" -gt "$best_v" ]; then
            best="$candidate"
            best_v="$v"
        fi
    done
    if [ -z "$best" ]; then
        echo "roster: no JDK 21 or newer found; install one and set JAVA_HOME to it" >&2
        return 1
    fi
    export JAVA_HOME="$best"
}

roster_find_java || exit 1
