package io.fidelis.cards.application;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.BiConsumer;

import org.springframework.stereotype.Component;

/**
 * What this node sent to the wallets: per wallet (APPLE, GOOGLE) and outcome, bounded sets both.
 * Apple counts one push per phone registered for the pass; Google one update per card. Read by
 * the metrics adapter.
 */
@Component
public class WalletFigures {

	/**
	 * @param wallet  APPLE or GOOGLE
	 * @param outcome SENT; GONE (APNs says the phone no longer holds the pass); FAILED (retried later)
	 */
	public record Key(String wallet, String outcome) {
	}

	private final Map<Key, LongAdder> sent = new ConcurrentHashMap<>();
	private volatile BiConsumer<Key, LongAdder> onNew = (k, n) -> {
	};

	WalletFigures() {
		// every outcome from the start, at 0: a rate over a series that appears late misses its first step
		for (String outcome : new String[] { "SENT", "GONE", "FAILED" }) {
			sent.put(new Key("APPLE", outcome), new LongAdder());
		}
		sent.put(new Key("GOOGLE", "SENT"), new LongAdder());
		sent.put(new Key("GOOGLE", "FAILED"), new LongAdder());
	}

	void count(CardStore.Wallet wallet, String outcome) {
		Key key = new Key(wallet.name(), outcome);
		LongAdder n = sent.get(key);
		if (n == null) {
			n = sent.computeIfAbsent(key, k -> new LongAdder());
			onNew.accept(key, n);
		}
		n.increment();
	}

	/** Hands every figure counted so far to {@code each}, and every new one as it appears. */
	public void eachFigure(BiConsumer<Key, LongAdder> each) {
		onNew = each;
		sent.forEach(each);
	}
}
