package io.fidelis.bootstrap.webhooks;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.springframework.core.io.ClassPathResource;

import graphql.language.EnumTypeDefinition;
import graphql.parser.Parser;

/** Each value of the schema's WebhookEventType is an event type webhooks send, and each event type has its value. */
class WebhookEventTypesTest {

	@Test
	void the_schemas_values_are_exactly_the_event_types_and_all() throws IOException {
		String schema = new ClassPathResource("graphql/fidelis.graphqls").getContentAsString(StandardCharsets.UTF_8);
		EnumTypeDefinition values = Parser.parse(schema).getDefinitionsOfType(EnumTypeDefinition.class).stream()
				.filter(e -> e.getName().equals("WebhookEventType")).findFirst().orElseThrow();
		Set<String> named = new HashSet<>();
		values.getEnumValueDefinitions().forEach(v -> named.add(WebhookEventTypes.eventType(v.getName())));
		Set<String> expected = new HashSet<>(Webhooks.EVENT_TYPES);
		expected.add("*");
		assertThat(named).isEqualTo(expected);
	}

	@Test
	void a_name_reads_as_the_type_a_body_carries() {
		assertThat(WebhookEventTypes.eventType("MEMBER_PROFILE_CHANGED")).isEqualTo("member.profile_changed");
		assertThat(WebhookEventTypes.eventType("POINTS_EARNED")).isEqualTo("points.earned");
		assertThat(WebhookEventTypes.eventType("ALL")).isEqualTo("*");
	}
}
