package io.fidelis.points.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;
import org.junit.jupiter.api.Test;

class PurchaseTest {

	static final EarnRate ONE_PER_EURO = new EarnRate(BigDecimal.ONE, RoundingMode.DOWN);

	static Purchase purchase(List<PurchaseLine> lines, String total) {
		return new Purchase("o-1", "paris-01", null, Channel.IN_STORE, "FR", "EUR", lines, new BigDecimal(total));
	}

	@Test
	void lines_must_add_up_to_the_total_to_the_minor_unit() {
		List<PurchaseLine> lines = List.of(new PurchaseLine("a", "x", new BigDecimal("3"), new BigDecimal("0.333")));
		assertThat(purchase(lines, "1.00").total()).isEqualByComparingTo("1.00"); // 0.999 → 1.00
		assertThatThrownBy(() -> purchase(lines, "0.99")).isInstanceOf(InvalidPoints.class)
				.hasMessageContaining("add up to 1.00 EUR, not 0.99");
		assertThatThrownBy(() -> new Purchase("o", null, null, Channel.ONLINE, null, "EUR", lines, BigDecimal.ONE))
				.isInstanceOf(InvalidPoints.class).hasMessageContaining("store");
		List<PurchaseLine> yen = List.of(new PurchaseLine("a", "x", BigDecimal.ONE, new BigDecimal("100.4")));
		assertThat(new Purchase("o", "s", null, Channel.ONLINE, null, "JPY", yen, new BigDecimal("100")).total())
				.isEqualByComparingTo("100"); // yen have no minor unit
	}

	@Test
	void category_and_per_unit_rates_and_multipliers_then_one_rounding() {
		Purchase p = purchase(List.of(new PurchaseLine("fuel-95", "fuel", new BigDecimal("10.5"), new BigDecimal("2.00")),
				new PurchaseLine("tv", "electronics", BigDecimal.ONE, new BigDecimal("100.00")),
				new PurchaseLine("milk", "dairy", new BigDecimal("2"), new BigDecimal("0.99"))), "122.98");
		Map<String, CategoryRate> rates = Map.of("fuel", new CategoryRate("fuel", CategoryRate.Basis.QUANTITY, new BigDecimal("2")),
				"electronics", new CategoryRate("electronics", CategoryRate.Basis.MONEY, new BigDecimal("3")));
		Purchase.Earning plain = p.earning(ONE_PER_EURO, rates, Map.of());
		assertThat(plain.lines()).extracting(l -> l.points().toPlainString()).containsExactly("21", "300", "1.98");
		assertThat(plain.points()).isEqualTo(322); // 322.98 rounded down once
		Purchase.Earning doubled = p.earning(ONE_PER_EURO, rates, Map.of("category:dairy", new BigDecimal("2"), "*", BigDecimal.ONE));
		assertThat(doubled.points()).isEqualTo(324); // 21 + 300 + 3.96
		assertThat(p.earning(new EarnRate(BigDecimal.ONE, RoundingMode.UP), Map.of(), Map.of()).points()).isEqualTo(123);
	}

	/** However a purchase comes back, in however many partial returns, exactly what it earned is taken back. */
	@RepeatedTest(30)
	void partial_returns_add_up_to_what_the_purchase_earned(RepetitionInfo repetition) {
		Random random = new Random(41L * repetition.getCurrentRepetition());
		Map<String, BigDecimal> bought = new LinkedHashMap<>();
		Map<String, BigDecimal> earnedBySku = new LinkedHashMap<>();
		BigDecimal exact = BigDecimal.ZERO;
		for (int i = 0; i < 1 + random.nextInt(5); i++) {
			bought.put("sku" + i, BigDecimal.valueOf(1 + random.nextInt(6)));
			BigDecimal e = BigDecimal.valueOf(random.nextInt(100_000), 3);
			earnedBySku.put("sku" + i, e);
			exact = exact.add(e);
		}
		long earned = exact.setScale(0, RoundingMode.DOWN).longValueExact();
		Map<String, BigDecimal> returned = new LinkedHashMap<>();
		bought.keySet().forEach(k -> returned.put(k, BigDecimal.ZERO));
		long takenSoFar = 0;
		List<String> open = new ArrayList<>(bought.keySet());
		while (!open.isEmpty()) {
			String sku = open.get(random.nextInt(open.size()));
			returned.merge(sku, BigDecimal.ONE, BigDecimal::add);
			if (returned.get(sku).compareTo(bought.get(sku)) == 0) {
				open.remove(sku);
			}
			long total = Purchase.takenBack(earned, earnedBySku, bought, returned);
			assertThat(total).as("never less than before").isGreaterThanOrEqualTo(takenSoFar);
			assertThat(total).as("never more than earned").isLessThanOrEqualTo(earned);
			takenSoFar = total;
		}
		assertThat(takenSoFar).isEqualTo(earned);
	}
}
