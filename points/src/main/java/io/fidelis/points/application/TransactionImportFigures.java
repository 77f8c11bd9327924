package io.fidelis.points.application;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;

import org.springframework.stereotype.Component;

/**
 * This node's transactions imports: how many run now, and their rows by outcome (their rate is the
 * rows per second). Read by the metrics adapter.
 */
@Component
public class TransactionImportFigures {

	private final AtomicInteger running = new AtomicInteger();
	private final LongAdder imported = new LongAdder();
	private final LongAdder existing = new LongAdder();
	private final LongAdder failed = new LongAdder();

	void started() {
		running.incrementAndGet();
	}

	void ended() {
		running.decrementAndGet();
	}

	/** A batch of rows done: written now, found written before (a re-run), refused. */
	void rows(int imported, int existing, int failed) {
		this.imported.add(imported);
		this.existing.add(existing);
		this.failed.add(failed);
	}

	public int running() {
		return running.get();
	}

	/** Rows by outcome: IMPORTED, EXISTING, FAILED. */
	public long rows(String outcome) {
		return switch (outcome) {
			case "IMPORTED" -> imported.sum();
			case "EXISTING" -> existing.sum();
			case "FAILED" -> failed.sum();
			default -> throw new IllegalArgumentException(outcome);
		};
	}
}
