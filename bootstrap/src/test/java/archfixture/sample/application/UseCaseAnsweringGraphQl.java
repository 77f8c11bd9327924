package archfixture.sample.application;

import org.springframework.graphql.data.method.annotation.QueryMapping;

/** Breaks the rule: a GraphQL handler outside the inbound adapters. */
public class UseCaseAnsweringGraphQl {
	@QueryMapping
	String answer() {
		return "42";
	}
}
