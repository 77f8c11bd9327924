package io.fidelis.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.EvaluationResult;

/**
 * The hexagon rules hold for Fidelis, and each of them demonstrably fails on a fixture that
 * breaks it (so a rule can never pass by matching nothing; ArchUnit also fails a rule whose
 * subject is empty).
 */
class HexagonArchitectureTest {

	static final JavaClasses FIDELIS = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
			.importPackages("io.fidelis");
	static final JavaClasses FIXTURES = new ClassFileImporter().importPackages("archfixture");

	@Test
	void domainsArePlainJava() {
		HexagonRules.domainIsPlainJava("io.fidelis").check(FIDELIS);
	}

	@Test
	void moduleApisArePlainJava() {
		HexagonRules.apiIsPlainJava("io.fidelis").check(FIDELIS);
	}

	@Test
	void mongoStaysInMongoAdapters() {
		HexagonRules.mongoOnlyInMongoAdapters("io.fidelis").check(FIDELIS);
	}

	@Test
	void graphQlAndWebStayInInboundAdapters() {
		HexagonRules.graphQlAndWebOnlyInInboundAdapters("io.fidelis").check(FIDELIS);
	}

	@Test
	void useCasesDoNotReachForAdapters() {
		HexagonRules.applicationDoesNotDependOnAdapters("io.fidelis").check(FIDELIS);
	}

	@Test
	void theDomainRuleCatchesSpringInADomain() {
		assertViolatedBy(HexagonRules.domainIsPlainJava("archfixture"), "archfixture.sample.domain.DomainUsingSpring");
	}

	@Test
	void theDomainRuleCatchesADomainReachingIntoAnotherModulesDomain() {
		assertViolatedBy(HexagonRules.domainIsPlainJava("archfixture"),
				"archfixture.sample.domain.DomainUsingOtherModule");
	}

	@Test
	void theApiRuleCatchesSpringInAModuleApi() {
		assertViolatedBy(HexagonRules.apiIsPlainJava("archfixture"), "archfixture.sample.EventCarryingSpringTypes");
	}

	@Test
	void theMongoRuleCatchesTheDriverInAUseCase() {
		assertViolatedBy(HexagonRules.mongoOnlyInMongoAdapters("archfixture"),
				"archfixture.sample.application.UseCaseUsingMongo");
	}

	@Test
	void theGraphQlRuleCatchesAControllerOutsideTheInboundAdapters() {
		assertViolatedBy(HexagonRules.graphQlAndWebOnlyInInboundAdapters("archfixture"),
				"archfixture.sample.application.UseCaseAnsweringGraphQl");
	}

	@Test
	void theInwardRuleCatchesAUseCaseUsingAnAdapter() {
		assertViolatedBy(HexagonRules.applicationDoesNotDependOnAdapters("archfixture"),
				"archfixture.sample.application.UseCaseUsingAdapter");
	}

	private static void assertViolatedBy(ArchRule rule, String violator) {
		EvaluationResult result = rule.evaluate(FIXTURES);
		assertThat(result.hasViolation()).as("rule '%s' reports its fixture", rule.getDescription()).isTrue();
		String report = String.join("\n", result.getFailureReport().getDetails());
		assertThat(report).contains(violator);
		// the well-behaved adapters of the fixture are not reported
		assertThat(report).doesNotContain("archfixture.sample.adapter.out.mongo.GoodMongoAdapter.")
				.doesNotContain("archfixture.sample.adapter.in.graphql.GoodController.");
	}
}
