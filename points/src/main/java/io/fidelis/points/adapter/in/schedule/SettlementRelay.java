package io.fidelis.points.adapter.in.schedule;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

import io.fidelis.points.application.MovingPoints;
import io.fidelis.points.application.SettlingAccounts;

/**
 * One thread that settles answered changes in batches, as soon as they are owed: a batch holds
 * whatever queued while the previous one was written, so the busier the ledger, the fewer
 * writes per movement. On a clean stop it settles everything still owed before the store
 * closes; after a crash, the clockwork's leftover sweep finds the journals instead.
 */
@Component
class SettlementRelay implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(SettlementRelay.class);
	static final int BATCH = 256;
	private static final Duration DRAIN_AT_STOP = Duration.ofSeconds(10);

	private final MovingPoints moving;
	private final SettlingAccounts settling;
	private volatile Thread worker;

	SettlementRelay(MovingPoints moving, SettlingAccounts settling) {
		this.moving = moving;
		this.settling = settling;
	}

	@Override
	public void start() {
		Thread thread = new Thread(this::run, "points-settlement");
		thread.setDaemon(true);
		worker = thread;
		thread.start();
	}

	private void run() {
		long backoff = 0;
		while (worker == Thread.currentThread()) {
			try {
				moving.settleOwed(BATCH, Duration.ofMillis(500));
				backoff = 0;
			}
			catch (InterruptedException e) {
				return;
			}
			catch (RuntimeException e) {
				// the store is away: what was owed is still journalled and queued again
				backoff = Math.min(5_000, Math.max(50, backoff * 2));
				log.warn("Settling points failed ({}); retrying in {} ms", e.toString(), backoff);
				try {
					Thread.sleep(backoff);
				}
				catch (InterruptedException stop) {
					return;
				}
			}
		}
	}

	/** Stops after the web server (a lower phase stops later), so nothing new is owed meanwhile. */
	@Override
	public void stop() {
		Thread thread = worker;
		worker = null;
		if (thread == null) {
			return;
		}
		try {
			// not interrupted: an interrupt inside the driver would cut its connection mid-batch
			// (safe, but noisy); the worker notices within its half-second wait
			thread.join(DRAIN_AT_STOP.toMillis());
			Instant until = Instant.now().plus(DRAIN_AT_STOP);
			while (settling.owing() > 0 && Instant.now().isBefore(until)) {
				moving.settleOwed(BATCH, Duration.ZERO);
			}
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
		catch (RuntimeException e) {
			log.warn("Could not settle {} accounts before stopping; they settle after the next start",
					settling.owing(), e);
		}
	}

	@Override
	public boolean isRunning() {
		return worker != null;
	}

	@Override
	public int getPhase() {
		return 0;
	}
}
