package io.fidelis.bootstrap.webhooks;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.modulith.events.ApplicationModuleListener;
import org.springframework.stereotype.Component;

import io.fidelis.cards.CardPageLinks;
import io.fidelis.members.MemberCardReplaced;
import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.members.MemberErased;
import io.fidelis.members.MemberProfileChanged;
import io.fidelis.members.MemberStatusChanged;
import io.fidelis.members.TierChanged;
import io.fidelis.points.PointsActivated;
import io.fidelis.points.PointsAdjusted;
import io.fidelis.points.PointsEarned;
import io.fidelis.points.PointsExpired;
import io.fidelis.points.PointsMovement;
import io.fidelis.points.PointsRedeemed;
import io.fidelis.points.PointsReversed;
import io.fidelis.points.PointsSettled;
import io.fidelis.points.PointsTransferred;
import io.fidelis.points.PurchaseRecorded;
import io.fidelis.points.RewardRedeemed;
import io.fidelis.points.RewardRefunded;
import io.fidelis.points.RewardStockLow;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Turns module events into webhook deliveries for every subscription that wants them. The event
 * id is a digest of the event itself, so the same module event delivered twice (as the event
 * registry may) makes one delivery, and receivers can use the id to ignore repeats of their own.
 */
@Component
class ModuleEventsToWebhooks {

	private final WebhookStore store;
	private final Clock clock;
	private final CardPageLinks cardPages;
	private final JsonMapper json = JsonMapper.builder().build();

	ModuleEventsToWebhooks(WebhookStore store, Clock clock, CardPageLinks cardPages) {
		this.store = store;
		this.clock = clock;
		this.cardPages = cardPages;
	}

	/**
	 * With the link to the new member's card page ({@code cardPage.url}, {@code cardPage.expiresAt}),
	 * so that the welcome e-mail or SMS can carry it. The link counts from the enrollment, so the
	 * event delivered twice is the same event.
	 */
	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('member.enrolled')")
	void on(MemberEnrolled e) {
		CardPageLinks.CardPageLink page = cardPages.linkFor(e.memberId(), e.enrolledAt());
		ObjectNode data = (ObjectNode) flatten(json.valueToTree(e));
		data.putObject("cardPage").put("url", page.url()).put("expiresAt", page.expiresAt().toString());
		fanOut("member.enrolled", data, e.enrolledAt());
	}

	/** An import's batch: each member is still delivered as its own member.enrolled. */
	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('member.enrolled')")
	void on(MembersEnrolled batch) {
		batch.members().forEach(this::on);
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('member.profile_changed')")
	void on(MemberProfileChanged e) {
		fanOut("member.profile_changed", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('member.status_changed')")
	void on(MemberStatusChanged e) {
		fanOut("member.status_changed", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('member.tier_changed')")
	void on(TierChanged e) {
		fanOut("member.tier_changed", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('member.card_replaced')")
	void on(MemberCardReplaced e) {
		fanOut("member.card_replaced", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('member.erased')")
	void on(MemberErased e) {
		fanOut("member.erased", e, e.at());
	}

	/** Points come settled in batches; each movement is its own webhook event, as before. */
	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wantsPoints()")
	void on(PointsSettled settled) {
		for (PointsMovement m : settled.movements()) {
			fanOut(typeOf(m), m, m.at());
		}
	}

	static String typeOf(PointsMovement m) {
		if (m instanceof PointsEarned) {
			return "points.earned";
		}
		if (m instanceof PointsActivated) {
			return "points.activated";
		}
		if (m instanceof PointsRedeemed) {
			return "points.redeemed";
		}
		if (m instanceof PointsReversed) {
			return "points.reversed";
		}
		if (m instanceof PointsExpired) {
			return "points.expired";
		}
		if (m instanceof PointsAdjusted) {
			return "points.adjusted";
		}
		return "points.transferred";
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('purchase.recorded')")
	void on(PurchaseRecorded e) {
		fanOut("purchase.recorded", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('reward.redeemed')")
	void on(RewardRedeemed e) {
		fanOut("reward.redeemed", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('reward.refunded')")
	void on(RewardRefunded e) {
		fanOut("reward.refunded", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('reward.stock_low')")
	void on(RewardStockLow e) {
		fanOut("reward.stock_low", e, e.at());
	}

	@ApplicationModuleListener(condition = "@moduleEventsToWebhooks.wants('challenge.completed')")
	void on(io.fidelis.offers.ChallengeCompleted e) {
		fanOut("challenge.completed", e, e.at());
	}

	/**
	 * Every subscription, read again at most every two seconds: fan-out runs on every module event.
	 * A subscription made on another node is heard within those two seconds.
	 */
	private volatile List<WebhookStore.Subscription> subscriptions = List.of();
	private volatile long subscriptionsReadAt;

	private List<WebhookStore.Subscription> subscriptions() {
		long now = clock.millis();
		if (now - subscriptionsReadAt > 2_000) {
			subscriptions = store.subscriptions(null);
			subscriptionsReadAt = now;
		}
		return subscriptions;
	}

	/**
	 * Whether any subscription wants events of {@code type}. Asked when the event is published
	 * (each listener above names its type in its condition), so that with no subscriber the event
	 * costs no publication of its own: storing and completing one was two writes per movement.
	 * A subscription made on another node is seen within the same two seconds as before.
	 */
	public boolean wants(String type) {
		return subscriptions().stream().anyMatch(s -> s.eventTypes().contains(type) || s.eventTypes().contains("*"));
	}

	/** Whether any subscription wants some kind of points movement. */
	public boolean wantsPoints() {
		return subscriptions().stream().anyMatch(s -> s.eventTypes().stream().anyMatch(t -> t.equals("*") || t.startsWith("points.")));
	}

	/** A subscription was added or removed on this node: read them again at the next event. */
	void subscriptionsChanged() {
		subscriptionsReadAt = 0;
	}

	void fanOut(String type, Object event, Instant occurredAt) {
		if (subscriptions().stream().noneMatch(s -> s.eventTypes().contains(type) || s.eventTypes().contains("*"))) {
			return;
		}
		JsonNode data = flatten(json.valueToTree(event));
		// every module event names its program: a subscription hears only the programs it names
		String program = data.path("programId").isString() ? data.path("programId").asString() : null;
		var subscribers = subscriptions().stream().filter(s -> s.wants(type, program)).toList();
		if (subscribers.isEmpty()) {
			return;
		}
		String eventId = "evt_" + digest(type + "|" + data).substring(0, 32);
		Map<String, Object> body = new LinkedHashMap<>();
		body.put("id", eventId);
		body.put("type", type);
		body.put("occurredAt", occurredAt.toString());
		body.put("data", data);
		String payload = json.writeValueAsString(body);
		Instant now = clock.instant();
		String member = data.path("memberId").isString() ? data.path("memberId").asString() : null;
		for (WebhookStore.Subscription s : subscribers) {
			store.addDelivery(new WebhookStore.Delivery("whd_" + digest(s.id() + "|" + eventId).substring(0, 32), s.id(),
					s.client(), s.url(), type, eventId, payload, "PENDING", 0, now, null, null, now, null, member));
		}
	}

	/** Ids such as MemberId are records of one value: in the payload they are just the value. */
	private static JsonNode flatten(JsonNode node) {
		if (node instanceof ObjectNode object) {
			if (object.size() == 1 && object.has("value")) {
				return object.get("value");
			}
			ObjectNode copy = object.objectNode();
			object.properties().forEach(e -> copy.set(e.getKey(), flatten(e.getValue())));
			return copy;
		}
		if (node instanceof tools.jackson.databind.node.ArrayNode list) {
			var array = list.arrayNode();
			list.forEach(n -> array.add(flatten(n)));
			return array;
		}
		return node;
	}

	static String digest(String text) {
		try {
			return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
		}
		catch (NoSuchAlgorithmException e) {
			throw new IllegalStateException(e);
		}
	}
}
