package io.fidelis.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.http.MediaType;
import org.springframework.test.web.reactive.server.WebTestClient;

import io.fidelis.FidelisApplication;

/** The switches production relies on. */
class ProductionSettingsTest {

	@Test
	void theProdProfileRefusesToStartWithoutAnIssuer() {
		Throwable failure = null;
		try (var context = new SpringApplicationBuilder(FidelisApplication.class).profiles("prod")
				.properties("server.port=0", "fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0")
				.run()) {
			// started: wrong
		}
		catch (RuntimeException e) {
			failure = e;
		}
		assertThat(failure).isNotNull();
		Throwable root = failure;
		while (root.getCause() != null) {
			root = root.getCause();
		}
		assertThat(root).hasMessageContaining("FIDELIS_OIDC_ISSUER_URI");
	}

	@Nested
	@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
			"fidelis.mongodb.embedded.in-memory=true", "fidelis.mongodb.embedded.port=0",
			"spring.graphql.schema.introspection.enabled=false", "spring.graphql.schema.printer.enabled=false",
			"spring.graphql.graphiql.enabled=false" })
	class WithIntrospectionOff {

		@LocalServerPort
		int port;

		@Test
		void introspectionIsRefused() {
			WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().post().uri("/graphql")
					.contentType(MediaType.APPLICATION_JSON).bodyValue(Map.of("query", "{ __schema { types { name } } }"))
					.exchange().expectStatus().isOk().expectBody()
					.jsonPath("$.errors[0].extensions.code").isEqualTo("VALIDATION")
					.jsonPath("$.data.__schema").doesNotExist();
		}

		@Test
		void graphiqlTheSchemaTextAndTheDevelopmentHomeAreGone() {
			for (String path : new String[] { "/graphiql", "/graphql/schema", "/" }) {
				WebTestClient.bindToServer().baseUrl("http://localhost:" + port).build().get().uri(path).exchange()
						.expectStatus().isNotFound();
			}
		}
	}
}
