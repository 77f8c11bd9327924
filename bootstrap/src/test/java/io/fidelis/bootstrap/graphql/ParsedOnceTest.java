package io.fidelis.bootstrap.graphql;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.springframework.graphql.server.support.SerializableGraphQlRequest;
import org.springframework.http.MediaType;
import org.springframework.http.converter.json.JacksonJsonHttpMessageConverter;
import org.springframework.http.server.ServletServerHttpRequest;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;

import jakarta.servlet.ServletException;

/**
 * A request that passed {@link RequestShape} reaches the endpoint as it parsed it, without its
 * body being read again, and with the same fields the JSON converter reads from the body.
 */
class ParsedOnceTest {

	final JacksonJsonHttpMessageConverter json = new JacksonJsonHttpMessageConverter();
	final RequestShape shape = new RequestShape(1 << 20, new PersistedQueries(1 << 20));

	@Test
	@SuppressWarnings("unchecked")
	void theEndpointTakesTheRequestTheShapeCheckParsedWithoutReadingTheBodyAgain() throws Exception {
		String body = """
				{"query": "query Q($id: ID!, $n: Int, $f: Float) { member(id: $id) { id } }", "operationName": "Q",
				 "variables": {"id": "m_1", "n": 3, "f": 1.5, "big": 12345678901, "list": [1, "a", null], "o": {"k": true}},
				 "extensions": {"trace": "x"}}""";
		MockHttpServletRequest passed = throughTheShapeCheck(body);
		SerializableGraphQlRequest direct = (SerializableGraphQlRequest) json.read(SerializableGraphQlRequest.class,
				new ServletServerHttpRequest(post(body)));

		// the body of what reached the endpoint cannot be read: the converter must not need it
		ServletServerHttpRequest endpoint = new ServletServerHttpRequest(passed) {
			@Override
			public java.io.InputStream getBody() throws IOException {
				throw new IOException("the body was read a second time");
			}
		};
		SerializableGraphQlRequest taken = (SerializableGraphQlRequest) new ParsedOnce(json)
				.read(SerializableGraphQlRequest.class, endpoint);

		assertThat(fields(taken)).isEqualTo(fields(direct));
		assertThat(taken.getVariables()).containsEntry("n", 3).containsEntry("big", 12345678901L)
				.containsEntry("f", 1.5).containsEntry("o", Map.of("k", true));
		assertThat((List<Object>) taken.getVariables().get("list")).containsExactly(1, "a", null);
	}

	@Test
	void requestsWithoutVariablesOrWithNullsReadAsTheConverterReadsThem() throws Exception {
		for (String body : List.of("{\"query\": \"{ __typename }\"}",
				"{\"query\": \"{ __typename }\", \"variables\": null, \"extensions\": null, \"operationName\": null}",
				"{\"query\": \"{ __typename }\", \"variables\": {}, \"extensions\": {}}")) {
			SerializableGraphQlRequest taken = (SerializableGraphQlRequest) new ParsedOnce(json)
					.read(SerializableGraphQlRequest.class, new ServletServerHttpRequest(throughTheShapeCheck(body)));
			SerializableGraphQlRequest direct = (SerializableGraphQlRequest) json.read(SerializableGraphQlRequest.class,
					new ServletServerHttpRequest(post(body)));
			assertThat(fields(taken)).as(body).isEqualTo(fields(direct));
		}
	}

	@Test
	void anythingElseIsReadFromTheBodyAsBefore() throws Exception {
		// a request that never met the shape check (another path, a test client) is parsed by the converter
		SerializableGraphQlRequest read = (SerializableGraphQlRequest) new ParsedOnce(json).read(
				SerializableGraphQlRequest.class, new ServletServerHttpRequest(post("{\"query\": \"{ me { id } }\"}")));
		assertThat(read.getQuery()).isEqualTo("{ me { id } }");
		assertThat(new ParsedOnce(json).read(Map.class, new ServletServerHttpRequest(post("{\"a\": 1}"))))
				.isEqualTo(Map.of("a", 1));
	}

	private static List<Object> fields(SerializableGraphQlRequest request) {
		return java.util.Arrays.asList(request.getQuery(), request.getOperationName(), request.getVariables(),
				request.getExtensions());
	}

	private MockHttpServletRequest throughTheShapeCheck(String body) throws IOException, ServletException {
		MockHttpServletRequest request = post(body);
		MockHttpServletResponse response = new MockHttpServletResponse();
		MockFilterChain chain = new MockFilterChain();
		shape.doFilter(request, response, chain);
		assertThat(response.getStatus()).as(response.getContentAsString()).isEqualTo(200);
		assertThat(chain.getRequest()).as("handed on").isNotNull();
		return (MockHttpServletRequest) unwrap(chain.getRequest());
	}

	private static Object unwrap(jakarta.servlet.ServletRequest request) {
		return request instanceof jakarta.servlet.ServletRequestWrapper wrapper ? unwrap(wrapper.getRequest()) : request;
	}

	private static MockHttpServletRequest post(String body) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/graphql");
		request.setContentType(MediaType.APPLICATION_JSON_VALUE);
		request.setContent(body.getBytes(StandardCharsets.UTF_8));
		return request;
	}
}
