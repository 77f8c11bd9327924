package io.fidelis.bootstrap.webhooks;

import java.util.Locale;

import org.springframework.graphql.execution.RuntimeWiringConfigurer;
import org.springframework.stereotype.Component;

import graphql.schema.idl.RuntimeWiring;

/**
 * The schema's {@code WebhookEventType} values as the event types webhooks keep and send, which
 * receivers check in each body: MEMBER_PROFILE_CHANGED is member.profile_changed, ALL is *.
 */
@Component
class WebhookEventTypes implements RuntimeWiringConfigurer {

	@Override
	public void configure(RuntimeWiring.Builder wiring) {
		wiring.type("WebhookEventType", type -> type.enumValues(WebhookEventTypes::eventType));
	}

	/** ALL is *; otherwise lower case, the first underscore a dot. */
	static String eventType(String name) {
		if (name.equals("ALL")) {
			return "*";
		}
		String lower = name.toLowerCase(Locale.ROOT);
		int first = lower.indexOf('_');
		return first < 0 ? lower : lower.substring(0, first) + "." + lower.substring(first + 1);
	}
}
