package io.fidelis.bootstrap.webhooks;

import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.Base64;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.UUID;

import org.springframework.stereotype.Service;

import io.fidelis.members.Caller;
import io.fidelis.members.ProgramId;

/**
 * Integration clients subscribe their CRM or marketing tool to event types; each subscription
 * has its own signing secret, shown once. Clients see and manage only their own subscriptions.
 */
@Service
class Webhooks {

	static final Set<String> EVENT_TYPES = Set.of("member.enrolled", "member.profile_changed", "member.status_changed",
			"member.tier_changed", "member.card_replaced", "member.erased", "points.earned", "points.activated",
			"points.redeemed", "points.reversed", "points.expired", "points.adjusted", "points.transferred",
			"purchase.recorded", "reward.redeemed", "reward.refunded", "reward.stock_low",
			"challenge.completed");
	static final int MAX_PER_CLIENT = 20;

	private final WebhookStore store;
	private final ModuleEventsToWebhooks fanOut;
	private final WebhookDestinations destinations;
	private final Clock clock;
	private final SecureRandom random = new SecureRandom();

	Webhooks(WebhookStore store, ModuleEventsToWebhooks fanOut, WebhookDestinations destinations, Clock clock) {
		this.store = store;
		this.fanOut = fanOut;
		this.destinations = destinations;
		this.clock = clock;
	}

	/** Bad input: the field it concerns and what to do. */
	static class Invalid extends RuntimeException {
		final String field;

		Invalid(String field, String message) {
			super(message);
			this.field = field;
		}
	}

	static class NotFound extends RuntimeException {
		NotFound(String message) {
			super(message);
		}
	}

	/**
	 * @param caller the client; its token's {@code programs} bound what the webhook may hear
	 * @param programs the programs whose events it receives; null or empty: all that the token reaches
	 */
	WebhookStore.Subscription subscribe(Caller.IntegrationClient caller, String url, List<String> eventTypes,
			String description, List<String> programs) {
		String client = caller.clientId();
		URI uri = url(url);
		if (eventTypes == null || eventTypes.isEmpty()) {
			throw new Invalid("eventTypes", "Subscribe to at least one event type: " + String.join(", ", sorted()));
		}
		Set<String> types = new LinkedHashSet<>();
		for (String type : eventTypes) {
			String t = type == null ? "" : type.strip().toLowerCase(Locale.ROOT);
			if (!t.equals("*") && !EVENT_TYPES.contains(t)) {
				throw new Invalid("eventTypes", "'" + type + "' is not an event type: " + String.join(", ", sorted()) + " or *");
			}
			types.add(t);
		}
		if (description != null && description.length() > 200) {
			throw new Invalid("description", "A description has at most 200 characters");
		}
		List<String> heard = programsHeard(caller, programs);
		destinations.refusal(uri).ifPresent(why -> {
			throw new Invalid("url", "Webhooks cannot post to " + uri.getHost() + ": " + why);
		});
		if (store.subscriptions(client).size() >= MAX_PER_CLIENT) {
			throw new Invalid("url", "A client has at most " + MAX_PER_CLIENT + " webhooks; delete one first");
		}
		byte[] secret = new byte[32];
		random.nextBytes(secret);
		WebhookStore.Subscription subscription = new WebhookStore.Subscription("wh_" + UUID.randomUUID().toString().replace("-", ""),
				client, uri.toString(), List.copyOf(types),
				// standard base64, as Standard Webhooks libraries read it
				"whsec_" + Base64.getEncoder().encodeToString(secret), description, clock.instant(),
				heard);
		store.addSubscription(subscription);
		fanOut.subscriptionsChanged();
		return subscription;
	}

	/** The programs named, each within the token's reach; none named: the token's own list (empty: every program). */
	private static List<String> programsHeard(Caller.IntegrationClient caller, List<String> programs) {
		if (programs == null || programs.isEmpty()) {
			return caller.programs().stream().sorted().toList();
		}
		Set<String> named = new java.util.TreeSet<>();
		for (String program : programs) {
			ProgramId id;
			try {
				id = new ProgramId(program == null ? "" : program.strip());
			}
			catch (IllegalArgumentException e) {
				throw new Invalid("programs", "'" + program + "' is not a program id");
			}
			if (!caller.mayReach(id)) {
				throw new OutOfReach(Caller.outOfReach(id));
			}
			named.add(id.value());
		}
		return List.copyOf(named);
	}

	/** The token does not cover a program the webhook names. */
	static class OutOfReach extends RuntimeException {
		OutOfReach(String message) {
			super(message);
		}
	}

	List<WebhookStore.Subscription> of(String client) {
		return store.subscriptions(client);
	}

	WebhookStore.Subscription own(String client, String id) {
		return store.subscription(id == null ? "" : id).filter(s -> s.client().equals(client))
				.orElseThrow(() -> new NotFound("You have no webhook '" + id + "'"));
	}

	void unsubscribe(String client, String id) {
		store.removeSubscription(own(client, id).id());
		fanOut.subscriptionsChanged();
	}

	/** A page of a webhook's delivery log, newest first, and whether older deliveries follow. */
	record DeliveryLog(List<WebhookStore.Delivery> deliveries, boolean more) {
	}

	DeliveryLog deliveries(String client, String id, String status, WebhookStore.Position after, int first) {
		if (first < 1 || first > 100) {
			throw new Invalid("first", "first is 1 to 100");
		}
		if (status != null && !Set.of("PENDING", "DELIVERED", "DEAD").contains(status)) {
			throw new Invalid("status", "status is PENDING, DELIVERED or DEAD");
		}
		List<WebhookStore.Delivery> found = store.deliveries(own(client, id).id(), status, after, first + 1);
		return new DeliveryLog(found.subList(0, Math.min(first, found.size())), found.size() > first);
	}

	/** Sends a delivery again (a dead one after the receiver is fixed, or a delivered one on request). */
	/** An erased member: what webhooks sent or will send about them keeps their id and nothing else. */
	int forget(io.fidelis.members.MemberId member) {
		return store.redactAbout(member.value());
	}

	/** What was sent to the programs' receivers about the member: part of their data export. */
	List<WebhookStore.Delivery> deliveriesAbout(io.fidelis.members.MemberId member) {
		return store.deliveriesAbout(member.value());
	}

	/** One of the client's deliveries; another client's answers as an unknown one does. */
	WebhookStore.Delivery delivery(String client, String deliveryId) {
		return store.delivery(deliveryId == null ? "" : deliveryId).filter(x -> x.client().equals(client))
				.orElseThrow(() -> new NotFound("You have no delivery '" + deliveryId + "'"));
	}

	WebhookStore.Delivery redeliver(String client, String deliveryId) {
		WebhookStore.Delivery d = delivery(client, deliveryId);
		WebhookStore.Delivery again = new WebhookStore.Delivery(d.id(), d.subscription(), d.client(), d.url(), d.eventType(),
				d.eventId(), d.payload(), "PENDING", 0, clock.instant(), d.lastStatus(), d.lastError(), d.createdAt(),
				d.deliveredAt(), d.member());
		store.redeliver(again);
		return again;
	}

	/** Only http(s) URLs with a host: a webhook never reaches a file, a mail server or a script. */
	static URI url(String url) {
		try {
			URI uri = new URI(url == null ? "" : url.strip());
			String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
			if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null || uri.getUserInfo() != null
					|| uri.toString().length() > 2000) {
				throw new Invalid("url", "A webhook URL is an http(s) URL with a host and no credentials, not '" + url + "'");
			}
			return uri;
		}
		catch (java.net.URISyntaxException e) {
			throw new Invalid("url", "'" + url + "' is not a URL");
		}
	}

	private static List<String> sorted() {
		return EVENT_TYPES.stream().sorted().toList();
	}
}
