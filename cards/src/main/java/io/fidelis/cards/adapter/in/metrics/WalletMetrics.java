package io.fidelis.cards.adapter.in.metrics;

import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

import io.fidelis.cards.application.CardStore;
import io.fidelis.cards.application.WalletFigures;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

/**
 * How far behind the wallets are: updates waiting for Apple or Google (all nodes), and what this
 * node sent, by wallet and outcome (SENT, GONE, FAILED).
 */
@Component
class WalletMetrics implements MeterBinder {

	private final WalletFigures figures;
	private final CardStore cards;

	WalletMetrics(WalletFigures figures, CardStore cards) {
		this.figures = figures;
		this.cards = cards;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		Gauge.builder("fidelis.wallet.updates.due", cards, CardStore::dueCount)
				.description("Wallet updates waiting to reach Apple or Google (due, later or being retried), all nodes")
				.register(registry);
		figures.eachFigure((key, n) -> FunctionCounter.builder("fidelis.wallet.updates", n, LongAdder::doubleValue)
				.description("Wallet updates this node sent: an APNs push per registered phone, a Google object update per card")
				.tag("wallet", key.wallet()).tag("outcome", key.outcome()).register(registry));
	}
}
