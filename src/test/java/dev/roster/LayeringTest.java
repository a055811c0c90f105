package dev.roster;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The shape of the code that DEVELOPERS.md describes, kept by rules. */
class LayeringTest {
    private static final JavaClasses ROSTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.roster");

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

    @Test
    void theErrorAndJsonPackagesDependOnNoFeature() {
        noClasses().that().resideInAnyPackage("dev.roster.error..", "dev.roster.json..", "dev.roster.store..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.roster.account..", "dev.roster.catalog..",
                        "dev.roster.profile..", "dev.roster.subscription..", "dev.roster.history..", "dev.roster.bulk..",
                        "dev.roster.http..", "dev.roster.access..")
                .check(ROSTER);
    }
}
