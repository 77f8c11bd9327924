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
