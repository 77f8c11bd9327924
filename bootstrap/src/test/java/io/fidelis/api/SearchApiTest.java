package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.graphql.test.tester.GraphQlTester;

/** Staff find members by the start of any word of their name, page by page. */
class SearchApiTest extends ApiTest {

	static final String SEARCH = "query($p: ID!, $q: String!, $first: Int, $after: String) { searchMembers(programId: $p, "
			+ "namePrefix: $q, first: $first, after: $after) { edges { cursor node { id name } } pageInfo { hasNextPage endCursor } } }";

	String enroll(String program, String name) {
		Map<String, Object> input = new HashMap<>(enrollment(program, key() + "@example.com", key()));
		input.put("name", name);
		return graphQl(pos()).document(ENROLL).variable("input", input).execute()
				.path("enrollMember.member.id").entity(String.class).get();
	}

	@Test
	void staffFindMembersByNamePrefixAcrossPages() {
		String program = program("search-" + key().substring(0, 8));
		String zoe = enroll(program, "Zoë Quenneville");
		String quentin = enroll(program, "Quentin Zola");
		enroll(program, "Bob Other");

		List<String> names = graphQl(staffAdmin()).document(SEARCH).variable("p", program).variable("q", "QUE").execute()
				.path("searchMembers.edges[*].node.name").entityList(String.class).get();
		assertThat(names).containsExactlyInAnyOrder("Zoë Quenneville", "Quentin Zola");

		GraphQlTester.Response first = graphQl(staffAdmin()).document(SEARCH).variable("p", program).variable("q", "zoe")
				.variable("first", 1).execute();
		first.path("searchMembers.edges[0].node.id").entity(String.class).isEqualTo(zoe);
		first.path("searchMembers.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);

		GraphQlTester.Response page1 = graphQl(staffAdmin()).document(SEARCH).variable("p", program).variable("q", "que")
				.variable("first", 1).execute();
		page1.path("searchMembers.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(true);
		String after = page1.path("searchMembers.pageInfo.endCursor").entity(String.class).get();
		String firstId = page1.path("searchMembers.edges[0].node.id").entity(String.class).get();
		graphQl(staffAdmin()).document(SEARCH).variable("p", program).variable("q", "que").variable("first", 1)
				.variable("after", after).execute().path("searchMembers.edges[0].node.id").entity(String.class)
				.satisfies(id -> assertThat(List.of(zoe, quentin)).contains(id).doesNotHaveToString(firstId));
	}

	@Test
	void staffFindOneMemberByAnIdentifierAsAConnectionToo() {
		String program = program("search-" + key().substring(0, 8));
		String id = enroll(program, "Ida Identifier");
		String card = graphQl(staffAdmin()).document("query($id: ID!) { member(id: $id) { cardNumber } }").variable("id", id)
				.execute().path("member.cardNumber").entity(String.class).get();
		String byCard = "query($p: ID!, $c: String!) { searchMembers(programId: $p, cardNumber: $c) { edges { node { id } } "
				+ "pageInfo { hasNextPage } } }";
		graphQl(staffAdmin()).document(byCard).variable("p", program).variable("c", card).execute()
				.path("searchMembers.edges[0].node.id").entity(String.class).isEqualTo(id)
				.path("searchMembers.pageInfo.hasNextPage").entity(Boolean.class).isEqualTo(false);
		graphQl(staffAdmin()).document("query($p: ID!) { searchMembers(programId: $p, email: \"nobody@example.com\") "
				+ "{ edges { node { id } } } }").variable("p", program).execute()
				.path("searchMembers.edges").entityList(Object.class).hasSize(0);
		graphQl(staffAdmin()).document("query($p: ID!) { searchMembers(programId: $p, namePrefix: \"ida\", "
				+ "email: \"x@example.com\") { edges { node { id } } } }").variable("p", program).execute().errors()
				.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
						.containsEntry("code", "VALIDATION")));
	}

	@Test
	void searchIsForStaffWithAtLeastThreeLetters() {
		String program = program("acme");
		for (String token : new String[] { pos(), member("searcher") }) {
			graphQl(token).document(SEARCH).variable("p", program).variable("q", "ali").execute().errors()
					.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
							.containsEntry("code", "FORBIDDEN")));
		}
		graphQl(staffAdmin()).document(SEARCH).variable("p", program).variable("q", "al").execute().errors()
				.satisfy(errors -> assertThat(errors).allSatisfy(e -> assertThat(e.getExtensions())
						.containsEntry("code", "VALIDATION")));
	}
}
