package io.fidelis.points.adapter.in.metrics;

import org.springframework.stereotype.Component;

import io.fidelis.points.application.SettlingAccounts;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * Acknowledged work still being finished behind the answer: movements are answered once the
 * account is written and settled in batches afterwards. A backlog that keeps growing means
 * settling cannot keep up (or the store is away), and history, reports and listeners lag
 * behind balances.
 */
@Component
class SettlementMetrics implements MeterBinder {

	private final SettlingAccounts settling;

	SettlementMetrics(SettlingAccounts settling) {
		this.settling = settling;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("fidelis.points.settlement.owed", settling, SettlingAccounts::owing)
				.description("Accounts whose answered changes wait to be settled (history, events, results)")
				.register(registry);
	}
}
