package io.fidelis.offers.adapter.out.mongo;

import static com.mongodb.client.model.Filters.eq;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

import com.mongodb.client.model.Updates;

import io.fidelis.offers.domain.Assignment;
import io.fidelis.offers.domain.Offer;

/** Offers and assignments stored with the enrollment trigger's former spelling read as ENROLLMENT. */
class MongoOfferSpellingTest extends OfferStoreOnEmbeddedMongo {

	static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");

	@Test
	void an_offer_and_an_assignment_stored_as_ENROLMENT_read_as_ENROLLMENT() {
		store.addOffer(new Offer("off_1", "acme", "Welcome", Offer.Kind.BONUS, null, null, 100, 0, null, NOW.minusSeconds(60),
				NOW.plusSeconds(3_600), 1, 0, 0, 0, false, Set.of(), Set.of(), Set.of(), Offer.Trigger.ENROLLMENT, List.of(),
				false, NOW));
		store.addAssignment(new Assignment("asg_1", "off_1", "acme", "m_1", Offer.Kind.BONUS, "ENROLLMENT:enrolled",
				Assignment.Status.ASSIGNED, List.of(), null, NOW, null, null, NOW.plusSeconds(86_400), 0));
		// as a node before 2026-12-07 wrote them
		var database = client.getDatabase(DATABASE);
		database.getCollection("offers_catalog").updateOne(eq("_id", "off_1"), Updates.set("trigger", "ENROLMENT"));
		database.getCollection("offers_assignments").updateOne(eq("_id", "asg_1"),
				Updates.set("trigger", "ENROLMENT:enrolled"));

		assertThat(store.offer("off_1").orElseThrow().trigger()).isEqualTo(Offer.Trigger.ENROLLMENT);
		assertThat(store.assignment("asg_1").orElseThrow().trigger()).isEqualTo("ENROLLMENT:enrolled");
		assertThat(MongoOfferStore.spelledToday("PURCHASE:F-1")).isEqualTo("PURCHASE:F-1");
		assertThat(MongoOfferStore.spelledToday(null)).isNull();
	}
}
