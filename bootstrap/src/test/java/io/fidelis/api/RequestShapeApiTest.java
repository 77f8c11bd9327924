package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.EntityExchangeResult;

/**
 * What a newcomer gets wrong first is answered in the GraphQL error shape with a status that
 * matches and says what to send instead: no or another Content-Type, a bare document as the body,
 * broken JSON.
 */
class RequestShapeApiTest extends ApiTest {

	private EntityExchangeResult<String> post(MediaType type, String body) {
		var request = http().post().uri("/graphql").header("Authorization", "Bearer " + pos());
		if (type != null) {
			request = request.contentType(type);
		}
		return request.bodyValue(body).exchange().expectBody(String.class).returnResult();
	}

	@org.springframework.beans.factory.annotation.Autowired
	org.springframework.graphql.server.webmvc.GraphQlHttpHandler endpoint;

	@Test
	void theEndpointTakesTheRequestTheShapeCheckParsed() {
		// Spring Boot's handler backed off for Fidelis' own, whose converter reads no body twice
		assertThat(org.springframework.test.util.ReflectionTestUtils.getField(endpoint, "messageConverter"))
				.isInstanceOf(io.fidelis.bootstrap.graphql.ParsedOnce.class);
	}

	@Test
	void aBodyWithoutJsonContentTypeIsToldToSendJson() {
		for (MediaType type : new MediaType[] { null, MediaType.TEXT_PLAIN, MediaType.APPLICATION_FORM_URLENCODED,
				MediaType.parseMediaType("application/graphql-response+json") }) { // that one names answers
			EntityExchangeResult<String> answer = post(type, "{\"query\":\"{ __typename }\"}");
			assertThat(answer.getStatus().value()).as("Content-Type %s", type).isEqualTo(415);
			assertThat(answer.getResponseBody()).contains("\"code\":\"VALIDATION\"").contains("Content-Type: application/json");
		}
		assertThat(post(MediaType.parseMediaType("application/json; charset=utf-8"), "{\"query\":\"{ __typename }\"}")
				.getResponseBody()).contains("\"__typename\":\"Query\"");
	}

	@Test
	void aFieldThatDoesNotExistIsAnsweredWithTheFieldsThereAreAndTheClosest() {
		String literal = post(MediaType.APPLICATION_JSON, "{\"query\":\"mutation { earnPoints(input: {memberId: \\\"m_1\\\", "
				+ "pointz: 5, transactionId: \\\"t\\\", idempotencyKey: \\\"abcdefgh1\\\", source: {channel: IN_STORE}}) "
				+ "{ replayed } }\"}").getResponseBody();
		assertThat(literal).contains("contains a field not in 'EarnPointsInput': 'pointz'").contains("Did you mean 'points'?")
				.contains("'EarnPointsInput' has: ").contains("idempotencyKey").doesNotContain("ObjectValue")
				.doesNotContain("ObjectField").contains("\"code\":\"VALIDATION\"");
		String variable = post(MediaType.APPLICATION_JSON, "{\"query\":\"mutation($i: EarnPointsInput!) { earnPoints(input: $i) "
				+ "{ replayed } }\", \"variables\": {\"i\": {\"memberId\": \"m_1\", \"pointz\": 5}}}").getResponseBody();
		assertThat(variable).contains("'pointz'").contains("Did you mean 'points'?").contains("\"code\":\"VALIDATION\"");
		String output = post(MediaType.APPLICATION_JSON, "{\"query\":\"{ me(programId: \\\"acme\\\") { idd } }\"}")
				.getResponseBody();
		assertThat(output).contains("Field 'idd' in type 'Member' is undefined").contains("Did you mean 'id'?")
				.contains("'Member' has: ");
		String far = post(MediaType.APPLICATION_JSON, "{\"query\":\"{ me(programId: \\\"acme\\\") { zzzzzzzzzz } }\"}")
				.getResponseBody();
		assertThat(far).contains("'Member' has: ").doesNotContain("Did you mean");
	}

	@Test
	void aBareDocumentIsToldToBeWrappedAndBrokenJsonIsNamed() {
		for (String bare : new String[] { "{ __typename }", "query Me { me(programId: \"acme\") { id } }",
				"mutation { earnPoints(input: {}) { replayed } }" }) {
			EntityExchangeResult<String> answer = post(MediaType.APPLICATION_JSON, bare);
			assertThat(answer.getStatus().value()).isEqualTo(400);
			assertThat(answer.getResponseBody()).contains("\"code\":\"VALIDATION\"").contains("GraphQL document, not JSON")
					.contains("{\\\"query\\\"");
		}
		EntityExchangeResult<String> broken = post(MediaType.APPLICATION_JSON, "{\"query\": \"{ __typename }\"");
		assertThat(broken.getStatus().value()).isEqualTo(400);
		assertThat(broken.getResponseBody()).contains("The body is not valid JSON");
	}
}
