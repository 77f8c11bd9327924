package io.fidelis.points.adapter.out.mongo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.data.mongodb.core.SimpleMongoClientDatabaseFactory;


import io.fidelis.points.domain.CategoryRate;
import io.fidelis.points.domain.EarnRate;
import io.fidelis.points.domain.Partner;
import io.fidelis.points.domain.InvalidPoints;
import io.fidelis.points.domain.Store;

/**
 * A program's stores, partners and category rates are remembered a second per node; what is
 * changed on the node is seen at once, and a store or partner defined on another node is looked
 * for again before anything is refused for lack of it.
 */
class MongoPurchaseBookTest {

	EmbeddedStore store;
	SimpleMongoClientDatabaseFactory factory;
	final AtomicLong now = new AtomicLong();

	@BeforeEach
	void connect() {
		store = new EmbeddedStore();
		factory = store.database("points_merchants_test");
	}

	@AfterEach
	void stop() {
		store.close();
	}

	static CategoryRate fuel(String points) {
		return new CategoryRate("fuel", CategoryRate.Basis.QUANTITY, new BigDecimal(points));
	}

	@Test
	void what_this_node_changes_is_seen_at_once() {
		MongoPurchaseBook book = new MongoPurchaseBook(factory, now::get);
		assertThat(book.stores("acme")).isEmpty();
		assertThat(book.categoryRates("acme")).isEmpty();

		book.saveStore(new Store("acme", "paris-1", "Paris Opéra", "fr"));
		book.saveCategoryRates("acme", List.of(fuel("3")));

		assertThat(book.stores("acme")).extracting(Store::storeId).containsExactly("paris-1");
		assertThat(book.categoryRates("acme")).containsOnlyKeys("fuel");
		// where it stands, when staff say
		book.saveStore(new Store("acme", "paris-1", "Paris Opéra", "fr", 48.8720, 2.3316));
		assertThat(book.stores("acme").get(0)).satisfies(store -> {
			assertThat(store.latitude()).isEqualTo(48.8720);
			assertThat(store.longitude()).isEqualTo(2.3316);
		});
		assertThatThrownBy(() -> new Store("acme", "x", "X", null, 48.8, null)).isInstanceOf(InvalidPoints.class);
		assertThatThrownBy(() -> new Store("acme", "x", "X", null, 91.0, 2.0)).isInstanceOf(InvalidPoints.class);
		assertThatThrownBy(() -> new Store("acme", "x", "X", null, 48.0, -180.5)).isInstanceOf(InvalidPoints.class);
		assertThatThrownBy(() -> new Store("acme", "x", "X", null, Double.NaN, 2.0)).isInstanceOf(InvalidPoints.class);
		book.saveCategoryRates("acme", List.of(fuel("5")));
		assertThat(book.categoryRates("acme").get("fuel").points()).isEqualByComparingTo("5");
	}

	@Test
	void a_store_or_partner_another_node_defined_is_found_at_once_and_rates_within_the_second_or_at_that_read() {
		MongoPurchaseBook here = new MongoPurchaseBook(factory, now::get);
		MongoPurchaseBook there = new MongoPurchaseBook(factory, now::get);
		there.saveCategoryRates("acme", List.of(fuel("3")));
		assertThat(here.store("acme", "lyon-2")).isEmpty();
		assertThat(here.categoryRates("acme").get("fuel").points()).isEqualByComparingTo("3");

		there.saveStore(new Store("acme", "lyon-2", "Lyon Part-Dieu", null));
		there.savePartner(new Partner("acme", "fly", "Fly Air", Map.of("EUR", new EarnRate(BigDecimal.ONE,
				RoundingMode.DOWN)), new BigDecimal("0.01"), new BigDecimal("0.008"), "EUR"));
		there.saveCategoryRates("acme", List.of(fuel("5")));

		assertThat(here.categoryRates("acme").get("fuel").points()).as("remembered, not read per purchase")
				.isEqualByComparingTo("3");
		assertThat(here.store("acme", "lyon-2")).as("looked for again before saying no").isPresent();
		assertThat(here.partner("acme", "fly")).isPresent();
		assertThat(here.partner("acme", "nobody")).isEmpty();
		assertThat(here.categoryRates("acme").get("fuel").points()).as("what that read found is remembered")
				.isEqualByComparingTo("5");
		there.saveCategoryRates("acme", List.of(fuel("7")));
		now.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
		assertThat(here.store("acme", "lyon-2")).isPresent();
		assertThat(here.categoryRates("acme").get("fuel").points()).isEqualByComparingTo("5");
		now.addAndGet(TimeUnit.SECONDS.toNanos(1));
		assertThat(here.categoryRates("acme").get("fuel").points()).isEqualByComparingTo("7");
	}
}
