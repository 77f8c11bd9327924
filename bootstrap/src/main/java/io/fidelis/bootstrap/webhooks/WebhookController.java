package io.fidelis.bootstrap.webhooks;

import java.util.List;
import java.util.Map;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.graphql.data.method.annotation.Argument;
import org.springframework.graphql.data.method.annotation.GraphQlExceptionHandler;
import org.springframework.graphql.data.method.annotation.MutationMapping;
import org.springframework.graphql.data.method.annotation.QueryMapping;
import org.springframework.graphql.execution.ErrorType;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;

import graphql.GraphQLError;
import graphql.GraphqlErrorBuilder;
import graphql.schema.DataFetchingEnvironment;
import io.fidelis.members.Caller;
import io.fidelis.members.ListConnection;

/** Integration clients manage their own webhooks and read their delivery log. */
@Controller
@EnableConfigurationProperties(WebhookProperties.class)
@PreAuthorize("hasAuthority('SCOPE_webhooks')")
class WebhookController {

	private final Webhooks webhooks;

	WebhookController(Webhooks webhooks) {
		this.webhooks = webhooks;
	}

	record CreateWebhookInput(String url, List<String> eventTypes, String description, List<String> programs) {
	}

	/** Instants stay instants: the DateTime scalar serializes them (a String here is refused by it). */
	record WebhookView(String id, String url, List<String> eventTypes, String description, java.time.Instant createdAt,
			List<String> programs) {
		static WebhookView of(WebhookStore.Subscription s) {
			return new WebhookView(s.id(), s.url(), s.eventTypes(), s.description(), s.createdAt(), s.programs());
		}
	}

	record CreateWebhookPayload(WebhookView webhook, String secret) {
	}

	record DeliveryView(String id, String webhookId, String eventId, String eventType, String status, int attempts,
			java.time.Instant nextAttemptAt, Integer lastStatus, String lastError, java.time.Instant createdAt,
			java.time.Instant deliveredAt, String payload) {
		static DeliveryView of(WebhookStore.Delivery d) {
			return new DeliveryView(d.id(), d.subscription(), d.eventId(), d.eventType(), d.status(), d.attempts(),
					d.status().equals("PENDING") ? d.nextAttemptAt() : null, d.lastStatus(), d.lastError(), d.createdAt(),
					d.deliveredAt(), d.payload());
		}
	}

	@MutationMapping
	CreateWebhookPayload createWebhook(@Argument CreateWebhookInput input, @AuthenticationPrincipal Caller caller) {
		WebhookStore.Subscription s = webhooks.subscribe((Caller.IntegrationClient) caller, input.url(), input.eventTypes(),
				input.description(), input.programs());
		return new CreateWebhookPayload(WebhookView.of(s), s.secret());
	}

	@MutationMapping
	DeleteWebhookPayload deleteWebhook(@Argument DeleteWebhookInput input, @AuthenticationPrincipal Caller caller) {
		webhooks.unsubscribe(client(caller), input.id());
		return new DeleteWebhookPayload(input.id());
	}

	record DeleteWebhookInput(String id) {
	}

	record DeleteWebhookPayload(String deletedWebhookId) {
	}

	record RedeliverWebhookInput(String deliveryId) {
	}

	record RedeliverWebhookPayload(DeliveryView delivery) {
	}

	/** One of the client's webhooks; node(id) answers through it for wh_ ids. */
	@QueryMapping
	WebhookView webhook(@Argument String id, @AuthenticationPrincipal Caller caller) {
		return WebhookView.of(webhooks.own(client(caller), id));
	}

	/** One of the client's deliveries; node(id) answers through it for whd_ ids. */
	@QueryMapping
	DeliveryView webhookDelivery(@Argument String id, @AuthenticationPrincipal Caller caller) {
		return DeliveryView.of(webhooks.delivery(client(caller), id));
	}

	@QueryMapping
	List<WebhookView> webhooks(@AuthenticationPrincipal Caller caller) {
		return webhooks.of(client(caller)).stream().map(WebhookView::of).toList();
	}

	@QueryMapping
	DeliveryConnection webhookDeliveries(@Argument String webhookId, @Argument String status, @Argument Integer first,
			@Argument String after, @AuthenticationPrincipal Caller caller) {
		Webhooks.DeliveryLog log = webhooks.deliveries(client(caller), webhookId, status, after == null ? null : position(after),
				first == null ? 20 : first);
		List<ListConnection.Edge<DeliveryView>> edges = log.deliveries().stream()
				.map(d -> new ListConnection.Edge<>(ListConnection.cursor(d.createdAt().toEpochMilli() + "|" + d.id()), DeliveryView.of(d))).toList();
		return new DeliveryConnection(edges, new ListConnection.PageInfo(after != null, log.more(),
				edges.isEmpty() ? null : edges.get(0).cursor(), edges.isEmpty() ? null : edges.get(edges.size() - 1).cursor()));
	}

	/** Paged in the store by time and id, so without a total: counting a busy webhook's log would read it all. */
	record DeliveryConnection(List<ListConnection.Edge<DeliveryView>> edges, ListConnection.PageInfo pageInfo) {
	}

	private static WebhookStore.Position position(String cursor) {
		String key = ListConnection.key(cursor, Webhooks.Invalid::new);
		int bar = key.indexOf('|');
		try {
			return new WebhookStore.Position(java.time.Instant.ofEpochMilli(Long.parseLong(key.substring(0, Math.max(bar, 0)))),
					key.substring(bar + 1));
		}
		catch (NumberFormatException e) {
			throw new Webhooks.Invalid("after", "after is a cursor from this connection");
		}
	}

	@MutationMapping
	RedeliverWebhookPayload redeliverWebhook(@Argument RedeliverWebhookInput input, @AuthenticationPrincipal Caller caller) {
		return new RedeliverWebhookPayload(DeliveryView.of(webhooks.redeliver(client(caller), input.deliveryId())));
	}

	@GraphQlExceptionHandler
	GraphQLError invalid(Webhooks.Invalid e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.BAD_REQUEST).message(e.getMessage())
				.extensions(Map.of("code", "VALIDATION", "field", e.field)).build();
	}

	@GraphQlExceptionHandler
	GraphQLError outOfReach(Webhooks.OutOfReach e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.FORBIDDEN).message(e.getMessage())
				.extensions(Map.of("code", "FORBIDDEN")).build();
	}

	@GraphQlExceptionHandler
	GraphQLError notFound(Webhooks.NotFound e, DataFetchingEnvironment env) {
		return GraphqlErrorBuilder.newError(env).errorType(ErrorType.NOT_FOUND).message(e.getMessage())
				.extensions(Map.of("code", "NOT_FOUND")).build();
	}

	private static String client(Caller caller) {
		return ((Caller.IntegrationClient) caller).clientId();
	}
}
