package io.fidelis.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.Dependency;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

/**
 * The hexagon inside every business module, as rules over a root package ({@code io.fidelis} for
 * the product, {@code archfixture} for the fixtures that prove each rule can fail).
 */
final class HexagonRules {

	private HexagonRules() {
	}

	/**
	 * A module's domain is plain Java: it depends on the JDK, its own module's domain, and its own
	 * module's API values (ids, enums, events in the module's base package), which
	 * {@link #apiIsPlainJava} keeps framework-free in turn.
	 */
	static ArchRule domainIsPlainJava(String root) {
		Pattern modulePackage = Pattern.compile(Pattern.quote(root) + "\\.([a-z0-9]+)\\.domain(\\..*)?");
		return classes().that().resideInAPackage(root + ".*.domain..")
				.should(new ArchCondition<JavaClass>("depend only on the JDK and their own module's domain and API") {
					@Override
					public void check(JavaClass item, ConditionEvents events) {
						Matcher matcher = modulePackage.matcher(item.getPackageName());
						if (!matcher.matches()) {
							return;
						}
						String ownApi = root + "." + matcher.group(1);
						String ownDomain = ownApi + ".domain";
						for (Dependency dependency : item.getDirectDependenciesFromSelf()) {
							JavaClass target = dependency.getTargetClass();
							String pkg = target.getPackageName();
							boolean allowed = target.isPrimitive() || target.isArray() && target.getBaseComponentType().isPrimitive()
									|| pkg.startsWith("java.") || pkg.equals(ownApi) || pkg.equals(ownDomain) || pkg.startsWith(ownDomain + ".")
									|| target.getBaseComponentType().getPackageName().startsWith("java.");
							if (!allowed) {
								events.add(SimpleConditionEvent.violated(dependency, dependency.getDescription()));
							}
						}
					}
				});
	}

	/**
	 * A module's API package (its base package: events, ids, the few shared types) is plain Java
	 * too, so that depending on another module's API never drags a framework along.
	 */
	static ArchRule apiIsPlainJava(String root) {
		return classes().that(apiTypes(root)).should().onlyDependOnClassesThat(
				com.tngtech.archunit.base.DescribedPredicate.describe("the JDK or a module API",
						c -> c.isPrimitive() || c.getBaseComponentType().isPrimitive()
								|| c.getBaseComponentType().getPackageName().startsWith("java.")
								|| c.getPackageName().startsWith("org.springframework.modulith") && c.isAnnotation()
								|| apiPackage(root, c.getBaseComponentType().getPackageName())));
	}

	private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> apiTypes(String root) {
		return com.tngtech.archunit.base.DescribedPredicate.describe("are a module's API types",
				c -> apiPackage(root, c.getPackageName()) && !c.getSimpleName().equals("package-info"));
	}

	private static boolean apiPackage(String root, String pkg) {
		return pkg.startsWith(root + ".") && pkg.substring(root.length() + 1).matches("[a-z0-9]+")
				&& !pkg.equals(root + ".bootstrap");
	}

	/** The MongoDB driver, BSON and Spring Data MongoDB appear only in {@code adapter.out.mongo}. */
	static ArchRule mongoOnlyInMongoAdapters(String root) {
		return noClasses().that().resideInAPackage(root + ".*..").and().resideOutsideOfPackage("..adapter.out.mongo..")
				.and(businessModules(root))
				.should().dependOnClassesThat().resideInAnyPackage("com.mongodb..", "org.bson..",
						"org.springframework.data.mongodb..");
	}

	/** GraphQL and web (annotations, controllers, graphql-java) appear only in {@code adapter.in}. */
	static ArchRule graphQlAndWebOnlyInInboundAdapters(String root) {
		return noClasses().that().resideInAPackage(root + ".*..").and().resideOutsideOfPackage("..adapter.in..")
				.and(businessModules(root))
				.should().dependOnClassesThat().resideInAnyPackage("graphql..", "org.springframework.graphql..",
						"org.springframework.web..", "jakarta.servlet..");
	}

	/** Dependencies point inward: use cases never reach for an adapter. */
	static ArchRule applicationDoesNotDependOnAdapters(String root) {
		return noClasses().that().resideInAPackage(root + ".*.application..").should().dependOnClassesThat()
				.resideInAPackage(root + ".*.adapter..");
	}

	// bootstrap wires frameworks together by design; the hexagon rules are for business modules
	private static com.tngtech.archunit.base.DescribedPredicate<JavaClass> businessModules(String root) {
		return com.tngtech.archunit.base.DescribedPredicate.describe("belong to a business module",
				c -> !c.getPackageName().startsWith(root + ".bootstrap") && !c.getPackageName().equals(root));
	}
}
