package dev.roster;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideOutsideOfPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/**
 * The shape of the code that README.md ("The code") describes, kept by rules. {@link #MAY_USE} is an allow-list, as
 * Kafka's import-control: each package under {@code dev.roster} (with its sub-packages) may use the Roster packages of
 * its row and nothing else of Roster; a package without a row fails {@link #everyPackageHasARow}. A new package adds
 * its row here, and a new dependency is a one-word edit of a row, seen in review.
 */
class LayeringTest {
    private static final JavaClasses ROSTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.roster");

    /** The root package ({@code Main}, the commands, {@code RosterApp}) wires everything by hand. */
    private static final String ROOT = "";
    private static final String ANY = "*";

    /** Package (under dev.roster; "" is dev.roster itself) -> the Roster packages it may use besides its own. */
    private static final Map<String, Set<String>> MAY_USE = table(
            row("json"),
            // pure value readers (dates) that every feature shares
            row("value", "error"),
            row("store"),
            row("error", "store"),
            row("access", "error"),
            row("request", "error", "json"),
            row("idempotency", "error", "store"),
            row("http", "access", "error", "idempotency", "json", "request"),
            row("account", "access", "error", "http", "request", "store"),
            row("catalog", "access", "error", "http", "json", "request", "store"),
            row("history", "access", "catalog", "error", "http", "json", "request", "store", "value"),
            row("profile", "access", "catalog", "error", "history", "http", "json", "request", "store", "value"),
            row("subscription", "access", "catalog", "error", "history", "http", "json", "profile", "request", "store"),
            row("bulk", "access", "catalog", "error", "http", "json", "profile", "query", "request", "segment", "store"),
            row("queue", "access", "error", "json", "profile", "request"),
            row("event", "access", "catalog", "error", "history", "http", "json", "request", "store"),
            // the browser console: thin routes over the same services as the API methods
            row("query", "access", "catalog", "error", "http", "json", "profile", "request", "store", "value"),
            row("segment", "access", "catalog", "error", "history", "http", "json", "profile", "query", "request", "store"),
            row("console", "access", "account", "bulk", "catalog", "error", "history", "http", "json", "profile", "query",
                    "segment", "store", "subscription"),
            row(ROOT, ANY));

    @Test
    void eachPackageUsesOnlyThePackagesOfItsRow() {
        List<ArchRule> rules = new ArrayList<>();
        MAY_USE.forEach((pkg, allowed) -> {
            if (allowed.contains(ANY)) {
                return;
            }
            List<String> packages = new ArrayList<>();
            packages.add(name(pkg) + "..");
            allowed.forEach(p -> packages.add(name(p) + (p.equals(ROOT) ? "" : "..")));
            rules.add(classes().that().resideInAPackage(name(pkg) + "..")
                    .should().onlyDependOnClassesThat(resideOutsideOfPackage("dev.roster..")
                            .or(resideInAnyPackage(packages.toArray(String[]::new))))
                    .because(name(pkg) + " may use " + (allowed.isEmpty() ? "no other Roster package" : allowed)
                            + " (LayeringTest.MAY_USE)")
                    .allowEmptyShould(true));
        });
        CompositeArchRule all = CompositeArchRule.of(rules.getFirst());
        for (ArchRule rule : rules.subList(1, rules.size())) {
            all = all.and(rule);
        }
        all.check(ROSTER);
    }

    @Test
    void everyPackageHasARow() {
        Set<String> missing = ROSTER.stream().map(JavaClass::getPackageName).map(LayeringTest::feature)
                .filter(f -> !MAY_USE.containsKey(f)).map(LayeringTest::name)
                .collect(Collectors.toCollection(TreeSet::new));
        assertThat(missing).as("packages without a row in LayeringTest.MAY_USE").isEmpty();
    }

    @Test
    void servicesKnowNothingOfHttp() {
        noClasses().that().haveSimpleNameEndingWith("Service")
                .or().haveSimpleNameEndingWith("Sql")
                .should().dependOnClassesThat().resideInAnyPackage("dev.roster.http..", "io.javalin..", "jakarta.servlet..")
                .check(ROSTER);
    }

    @Test
    void onlyTheStoreKnowsWhichDatabaseIsUnderneath() {
        noClasses().that().resideOutsideOfPackage("dev.roster.store..")
                .should().dependOnClassesThat().resideInAnyPackage("org.sqlite..", "org.postgresql..",
                        "com.zaxxer.hikari..", "org.flywaydb..")
                .check(ROSTER);
        noClasses().that().resideOutsideOfPackage("dev.roster.store..")
                .should().dependOnClassesThat().haveFullyQualifiedName("dev.roster.store.Dialect")
                .check(ROSTER);
    }

    @Test
    void onlyTheHttpPackageAndFeatureApisTouchJavalin() {
        noClasses().that().resideOutsideOfPackage("dev.roster.http..")
                .and().haveSimpleNameNotEndingWith("Api")
                .and().haveSimpleNameNotEndingWith("Routes")
                .should().dependOnClassesThat().resideInAPackage("io.javalin..")
                .check(ROSTER);
    }

    @Test
    void sqlStaysInTheFeatureThatOwnsIt() {
        // each feature's SQL class is package-private: nothing outside the feature can call it
        classes().that().haveSimpleNameEndingWith("Sql").should().notBePublic().check(ROSTER);
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("dev.roster.(*)..").should().beFreeOfCycles().check(ROSTER);
    }

    /** The first package name under dev.roster ("" for dev.roster itself). */
    private static String feature(String packageName) {
        if (packageName.equals("dev.roster")) {
            return ROOT;
        }
        String rest = packageName.substring("dev.roster.".length());
        int dot = rest.indexOf('.');
        return dot < 0 ? rest : rest.substring(0, dot);
    }

    private static String name(String pkg) {
        return pkg.equals(ROOT) ? "dev.roster" : "dev.roster." + pkg;
    }

    private static Map.Entry<String, Set<String>> row(String pkg, String... mayUse) {
        return Map.entry(pkg, Set.of(mayUse));
    }

    @SafeVarargs
    private static Map<String, Set<String>> table(Map.Entry<String, Set<String>>... rows) {
        Map<String, Set<String>> table = new LinkedHashMap<>();
        for (Map.Entry<String, Set<String>> row : rows) {
            if (table.put(row.getKey(), row.getValue()) != null) {
                throw new IllegalArgumentException("two rows for " + row.getKey());
            }
        }
        return table;
    }
}
