package io.fidelis.bootstrap.metrics;

import org.springframework.context.event.EventListener;
import org.springframework.stereotype.Component;

import io.fidelis.members.MemberEnrolled;
import io.fidelis.members.MembersEnrolled;
import io.fidelis.offers.OfferAssigned;
import io.fidelis.offers.OfferRedeemed;
import io.fidelis.points.PurchaseRecorded;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;

/**
 * What members do, counted where it is announced: enrollments by program and channel, purchases
 * by program and channel, offers assigned and redeemed by program and kind (a coupon is a kind).
 * Each of these events is published once, by the node that did the work, so the counts summed
 * over nodes are exact. Tags are bounded sets (programs, channels, kinds); never a member.
 * Listened to in the publishing thread: a metric needs no stored publication of its own.
 * Points flowing are counted by the points module ({@code fidelis_points_moved_points_total}).
 */
@Component
class BusinessMetrics {

	private final MeterRegistry registry;

	BusinessMetrics(MeterRegistry registry) {
		this.registry = registry;
	}

	@EventListener
	void on(MemberEnrolled e) {
		enrolled(e.programId().value(), e.channel().name(), 1);
	}

	@EventListener
	void on(MembersEnrolled batch) {
		batch.members().forEach(e -> enrolled(e.programId().value(), e.channel().name(), 1));
	}

	/** Orders counted lately: a retry soon after may announce its order again (see RecordingPurchases). */
	private final java.util.Map<String, Boolean> recentOrders = java.util.Collections.synchronizedMap(
			new java.util.LinkedHashMap<>(1 << 12, 0.75f, false) {
				@Override
				protected boolean removeEldestEntry(java.util.Map.Entry<String, Boolean> eldest) {
					return size() > 10_000;
				}
			});

	@EventListener
	void on(PurchaseRecorded e) {
		if (recentOrders.putIfAbsent(e.client() + "|" + e.orderId(), Boolean.TRUE) != null) {
			return;
		}
		Counter.builder("fidelis.purchases.recorded").description("Purchases recorded (an order announced again is not counted again)")
				.tag("program", e.programId().value()).tag("channel", e.channel() == null ? "NONE" : e.channel())
				.register(registry).increment();
	}

	@EventListener
	void on(OfferAssigned e) {
		Counter.builder("fidelis.offers.assigned").description("Offers given to members")
				.tag("program", e.programId().value()).tag("kind", e.kind()).register(registry).increment();
	}

	@EventListener
	void on(OfferRedeemed e) {
		Counter.builder("fidelis.offers.redeemed").description("Offers and coupons redeemed")
				.tag("program", e.programId().value()).tag("kind", e.kind()).register(registry).increment();
	}

	private void enrolled(String program, String channel, int count) {
		Counter.builder("fidelis.members.enrolled").description("Members enrolled").tag("program", program)
				.tag("channel", channel).register(registry).increment(count);
	}
}
